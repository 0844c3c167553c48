/// Emits a message's Swift declaration: the struct, its stored properties, oneof enums, nested
/// types, and (through the codec and JSON emitters) its `Wire.Message` conformance.
struct MessageEmitter {
    let access: String

    func emit(_ message: MessageModel, into printer: inout CodePrinter) {
        printer.docComment(message.comments)
        printer.block("\(access) struct \(message.swiftName): Wire.Message {") { body in
            let fields = message.fields.map { FieldCode($0, in: message) }
            emitProperties(fields, message: message, into: &body)
            body.line("\(access) var unknownFields = Wire.UnknownFields()")
            body.line()
            body.line("\(access) static let protoMessageName = \"\(message.fullName)\"")
            body.line()
            body.line("\(access) init() {}")
            for (index, oneof) in message.oneofs.enumerated() {
                body.line()
                emitOneofEnum(oneof, fields: fields.filter { $0.field.oneofIndex == index }, into: &body)
            }
            for nested in message.nestedEnums {
                body.line()
                EnumEmitter(access: access).emit(nested, into: &body)
            }
            for nested in message.nestedMessages {
                body.line()
                emit(nested, into: &body)
            }
            body.line()
            MessageCodecEmitter(access: access).emit(message, fields: fields, into: &body)
            body.line()
            MessageJSONEmitter(access: access).emit(message, fields: fields, into: &body)
        }
    }

    private func emitProperties(_ fields: [FieldCode], message: MessageModel, into printer: inout CodePrinter) {
        var emittedOneofs = Set<Int>()
        for code in fields {
            if let index = code.field.oneofIndex {
                if emittedOneofs.insert(index).inserted {
                    let oneof = message.oneofs[index]
                    printer.docComment(oneof.comments)
                    printer.line("\(access) var \(SwiftNaming.quotedIfKeyword(oneof.swiftName)): \(oneof.swiftTypeName)?")
                    printer.line()
                }
                emitOneofAccessor(code, into: &printer)
                continue
            }
            printer.docComment(code.field.comments)
            if code.field.needsIndirection {
                emitBoxedProperty(code, into: &printer)
            } else if let initial = code.defaultValue {
                printer.line("\(access) var \(code.property): \(code.propertyType) = \(initial)")
            } else {
                printer.line("\(access) var \(code.property): \(code.propertyType)")
            }
            printer.line()
        }
    }

    /// A field that would make the struct contain itself is stored in an `IndirectBox`.
    private func emitBoxedProperty(_ code: FieldCode, into printer: inout CodePrinter) {
        let storage = "_\(code.field.swiftName)"
        printer.block("\(access) var \(code.property): \(code.valueType)? {") { body in
            body.line("get { \(storage)?.value }")
            body.line("set { \(storage) = newValue.map { Wire.IndirectBox($0) } }")
        }
        printer.line("private var \(storage): Wire.IndirectBox<\(code.valueType)>?")
    }

    /// A convenience accessor for one member of a oneof: its value, or the default when another
    /// member (or none) is set; setting it selects the member.
    private func emitOneofAccessor(_ code: FieldCode, into printer: inout CodePrinter) {
        guard let oneof = code.oneof else { return }
        let property = "self.\(oneof.swiftName)"
        let fallback = code.isMessage ? "\(code.valueType)()" : (code.defaultValue ?? "\(code.valueType)()")
        printer.docComment(code.field.comments)
        printer.block("\(access) var \(code.property): \(code.valueType) {") { body in
            body.block("get {") { getter in
                getter.line("if case .\(code.oneofCase)(let value)? = \(property) { return value }")
                getter.line("return \(fallback)")
            }
            body.line("set { \(property) = .\(code.oneofCase)(newValue) }")
        }
        printer.line()
    }

    private func emitOneofEnum(_ oneof: OneofModel, fields: [FieldCode], into printer: inout CodePrinter) {
        let recursive = fields.contains { $0.field.needsIndirection }
        printer.docComment(oneof.comments.isEmpty ? ["The members of the `\(oneof.protoName)` oneof."] : oneof.comments)
        printer.block("\(access) \(recursive ? "indirect " : "")enum \(oneof.swiftTypeName): Sendable, Hashable {") { body in
            for code in fields {
                body.docComment(code.field.comments)
                body.line("case \(code.oneofCase)(\(code.valueType))")
            }
        }
    }
}
