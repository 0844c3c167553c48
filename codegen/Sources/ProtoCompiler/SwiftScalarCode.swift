/// The Swift spelling of each proto3 scalar: its type, default, wire type, and the expressions that
/// size, write, read and JSON-map one value. Everything type-specific the message emitters need is here.
extension ScalarType {
    var swiftType: String {
        switch self {
        case .double: "Double"
        case .float: "Float"
        case .int32, .sint32, .sfixed32: "Int32"
        case .int64, .sint64, .sfixed64: "Int64"
        case .uint32, .fixed32: "UInt32"
        case .uint64, .fixed64: "UInt64"
        case .bool: "Bool"
        case .string: "String"
        case .bytes: "Foundation.Data"
        }
    }

    var defaultValue: String {
        switch self {
        case .bool: "false"
        case .string: "\"\""
        case .bytes: "Foundation.Data()"
        default: "0"
        }
    }

    var wireType: Int {
        switch self {
        case .double, .fixed64, .sfixed64: 1
        case .string, .bytes: 2
        case .float, .fixed32, .sfixed32: 5
        default: 0
        }
    }

    /// Fixed-width encodings have a size that does not depend on the value.
    var fixedSize: Int? {
        switch self {
        case .double, .fixed64, .sfixed64: 8
        case .float, .fixed32, .sfixed32: 4
        case .bool: 1
        default: nil
        }
    }

    /// Whether a value differs from the proto3 default (floating point by bit pattern, so -0.0 is kept).
    func isNonDefault(_ value: String) -> String {
        switch self {
        case .bool: value
        case .string, .bytes: "!\(value).isEmpty"
        case .float, .double: "\(value).bitPattern != 0"
        default: "\(value) != 0"
        }
    }

    /// Encoded size of the value alone (no tag).
    func sizeExpression(_ value: String) -> String {
        switch self {
        case .int32: "Wire.WireFormat.int32Size(\(value))"
        case .int64: "Wire.WireFormat.varintSize(UInt64(bitPattern: \(value)))"
        case .uint32: "Wire.WireFormat.varintSize(UInt64(\(value)))"
        case .uint64: "Wire.WireFormat.varintSize(\(value))"
        case .sint32: "Wire.WireFormat.varintSize(UInt64(Wire.WireFormat.zigZag(\(value))))"
        case .sint64: "Wire.WireFormat.varintSize(Wire.WireFormat.zigZag(\(value)))"
        case .string: "Wire.WireFormat.lengthDelimitedSize(\(value).utf8.count)"
        case .bytes: "Wire.WireFormat.lengthDelimitedSize(\(value).count)"
        default: String(fixedSize!)
        }
    }

    /// Statement writing the value alone (no tag).
    func writeStatement(_ value: String) -> String {
        switch self {
        case .int32: "writer.writeInt32(\(value))"
        case .int64: "writer.writeVarint(UInt64(bitPattern: \(value)))"
        case .uint32: "writer.writeVarint(UInt64(\(value)))"
        case .uint64: "writer.writeVarint(\(value))"
        case .sint32: "writer.writeVarint(UInt64(Wire.WireFormat.zigZag(\(value))))"
        case .sint64: "writer.writeVarint(Wire.WireFormat.zigZag(\(value)))"
        case .bool: "writer.writeByte(\(value) ? 1 : 0)"
        case .fixed32: "writer.writeFixed32(\(value))"
        case .sfixed32: "writer.writeFixed32(UInt32(bitPattern: \(value)))"
        case .float: "writer.writeFixed32(\(value).bitPattern)"
        case .fixed64: "writer.writeFixed64(\(value))"
        case .sfixed64: "writer.writeFixed64(UInt64(bitPattern: \(value)))"
        case .double: "writer.writeFixed64(\(value).bitPattern)"
        case .string, .bytes: "writer.writeDelimited(\(value))"
        }
    }

    /// The `WireReader` method that reads one value of this type.
    var decodeMethod: String {
        switch self {
        case .int32: "decodeInt32"
        case .int64: "decodeInt64"
        case .uint32: "decodeUInt32"
        case .uint64: "decodeUInt64"
        case .sint32: "decodeSInt32"
        case .sint64: "decodeSInt64"
        case .bool: "decodeBool"
        case .fixed32: "decodeFixed32"
        case .sfixed32: "decodeSFixed32"
        case .float: "decodeFloat"
        case .fixed64: "decodeFixed64"
        case .sfixed64: "decodeSFixed64"
        case .double: "decodeDouble"
        case .string: "decodeString"
        case .bytes: "decodeBytes"
        }
    }

    /// For repeated numeric fields: the `WireReader` method and the conversion closure body from
    /// the raw wire value (`$0`).
    var repeatedDecode: (method: String, conversion: String)? {
        switch self {
        case .int32: ("decodeRepeatedVarint", "Int32(truncatingIfNeeded: $0)")
        case .int64: ("decodeRepeatedVarint", "Int64(bitPattern: $0)")
        case .uint32: ("decodeRepeatedVarint", "UInt32(truncatingIfNeeded: $0)")
        case .uint64: ("decodeRepeatedVarint", "$0")
        case .sint32: ("decodeRepeatedVarint", "Wire.WireFormat.unZigZag(UInt32(truncatingIfNeeded: $0))")
        case .sint64: ("decodeRepeatedVarint", "Wire.WireFormat.unZigZag($0)")
        case .bool: ("decodeRepeatedVarint", "$0 != 0")
        case .fixed32: ("decodeRepeatedFixed32", "$0")
        case .sfixed32: ("decodeRepeatedFixed32", "Int32(bitPattern: $0)")
        case .float: ("decodeRepeatedFixed32", "Float(bitPattern: $0)")
        case .fixed64: ("decodeRepeatedFixed64", "$0")
        case .sfixed64: ("decodeRepeatedFixed64", "Int64(bitPattern: $0)")
        case .double: ("decodeRepeatedFixed64", "Double(bitPattern: $0)")
        case .string, .bytes: nil
        }
    }

    /// Statement writing the value as JSON.
    func jsonWriteStatement(_ value: String) -> String {
        switch self {
        case .int32, .sint32, .sfixed32, .uint32, .fixed32: "json.writeNumber(\(value))"
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: "json.writeQuotedNumber(\(value))"
        case .bool: "json.writeBool(\(value))"
        case .float: "json.writeFloat(\(value))"
        case .double: "json.writeDouble(\(value))"
        case .string: "json.writeString(\(value))"
        case .bytes: "json.writeBytes(\(value))"
        }
    }

    /// Expression converting JSON value `value` at `path`.
    func jsonReadExpression(_ value: String, path: String) -> String {
        switch self {
        case .int32, .sint32, .sfixed32: "\(value).int32(at: \(path))"
        case .uint32, .fixed32: "\(value).uint32(at: \(path))"
        case .int64, .sint64, .sfixed64: "\(value).int64(at: \(path))"
        case .uint64, .fixed64: "\(value).uint64(at: \(path))"
        case .bool: "\(value).bool(at: \(path))"
        case .float: "\(value).float(at: \(path))"
        case .double: "\(value).double(at: \(path))"
        case .string: "\(value).string(at: \(path))"
        case .bytes: "\(value).bytes(at: \(path))"
        }
    }

    /// Expression converting map key string `key` at `path`.
    func jsonMapKeyExpression(_ key: String, path: String) -> String {
        switch self {
        case .string: key
        case .bool: "try Wire.JSONMapKey.bool(\(key), at: \(path))"
        default: "try Wire.JSONMapKey.integer(\(key), at: \(path), as: \(swiftType).self)"
        }
    }

    /// Expression turning map key `key` into its JSON member name.
    func jsonMapKeyString(_ key: String) -> String {
        switch self {
        case .string: key
        default: "String(\(key))"
        }
    }
}
