/// Swift-side facts about one field that every message emitter step needs: its storage type,
/// default, property reference and precomputed tag bytes.
struct FieldCode {
    let field: FieldModel
    let oneof: OneofModel?

    init(_ field: FieldModel, in message: MessageModel) {
        self.field = field
        oneof = field.oneofIndex.map { message.oneofs[$0] }
    }

    /// Property name as written in code (backticked if it is a keyword).
    var property: String { SwiftNaming.quotedIfKeyword(field.swiftName) }

    /// `self.name`, safe for any name.
    var reference: String { "self.\(field.swiftName)" }

    /// The static string used in decoding errors.
    var fieldLabel: String { "\"\(field.protoName)\"" }

    var isMap: Bool { if case .map = field.type { true } else { false } }

    var isMessage: Bool { if case .message = field.type { true } else { false } }

    var scalar: ScalarType? { if case .scalar(let scalar) = field.type { scalar } else { nil } }

    /// The Swift type of a single value (element type for repeated fields).
    static func valueType(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar): scalar.swiftType
        case .enumeration(let reference), .message(let reference): reference.swiftFullName
        case .map(let key, let value): "[\(key.swiftType): \(valueType(value))]"
        }
    }

    var valueType: String { Self.valueType(field.type) }

    /// Declared type of the stored property.
    var propertyType: String {
        if isMap { return valueType }
        switch field.cardinality {
        case .repeated: return "[\(valueType)]"
        case .optional: return "\(valueType)?"
        case .singular: return isMessage ? "\(valueType)?" : valueType
        }
    }

    /// The default initial value of a non-optional property.
    var defaultValue: String? {
        if isMap { return "[:]" }
        switch field.cardinality {
        case .repeated: return "[]"
        case .optional: return nil
        case .singular:
            switch field.type {
            case .scalar(let scalar): return scalar.defaultValue
            case .enumeration(let reference): return "\(reference.swiftFullName)(rawValue: 0)"
            case .message, .map: return nil
            }
        }
    }

    /// Wire type of one element as it appears on the wire (packed repeated fields use 2).
    var wireType: Int {
        if field.cardinality == .repeated && field.isPacked { return 2 }
        switch field.type {
        case .scalar(let scalar): return scalar.wireType
        case .enumeration: return 0
        case .message, .map: return 2
        }
    }

    /// The varint-encoded key, as bytes to write.
    static func tagBytes(number: Int, wireType: Int) -> [UInt8] {
        var value = UInt64(number) << 3 | UInt64(wireType)
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }

    var tagBytes: [UInt8] { Self.tagBytes(number: field.number, wireType: wireType) }

    /// Statements writing this field's key.
    static func writeTagStatements(_ bytes: [UInt8]) -> String {
        bytes.map { "writer.writeByte(0x\(String($0, radix: 16, uppercase: true)))" }.joined(separator: "; ")
    }

    var writeTag: String { Self.writeTagStatements(tagBytes) }

    /// The case name in the oneof enum.
    var oneofCase: String { SwiftNaming.quotedIfKeyword(field.swiftName) }
}
