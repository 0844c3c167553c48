/// Emits the binary codec of a message: `computeSize(into:)`, `encode(to:cache:)` and
/// `decode(from:)`, specialised per field so no generic visitor runs at encode or decode time.
struct MessageCodecEmitter {
    let access: String

    func emit(_ message: MessageModel, fields: [FieldCode], into printer: inout CodePrinter) {
        printer.block("\(access) func computeSize(into cache: inout Wire.SizeCache) -> Int {") { body in
            body.line("var size = 0")
            for code in fields { emitSize(code, into: &body) }
            body.line("size += self.unknownFields.count")
            body.line("return size")
        }
        printer.line()
        printer.block("\(access) func encode(to writer: inout Wire.WireWriter, cache: inout Wire.SizeCache) {") { body in
            for code in fields { emitEncode(code, into: &body) }
            body.line("writer.writeUnknownFields(self.unknownFields)")
        }
        printer.line()
        printer.block("\(access) mutating func decode(from reader: inout Wire.WireReader) throws(Wire.WireDecodingError) {") { body in
            body.block("while let tag = try reader.nextTag() {") { loop in
                loop.line("switch tag.number {")
                for code in fields { emitDecodeCase(code, into: &loop) }
                loop.line("default:")
                loop.line("    try reader.decodeUnknown(tag, into: &self.unknownFields)")
                loop.line("}")
            }
        }
    }

    // MARK: Presence

    /// Runs `body` with `value` bound to the field's value when the field is to be written.
    private func whenPresent(_ code: FieldCode, into printer: inout CodePrinter, _ body: (inout CodePrinter, String) -> Void) {
        let field = code.field
        if let oneof = code.oneof {
            printer.block("if case .\(code.oneofCase)(let value)? = self.\(oneof.swiftName) {") { body(&$0, "value") }
            return
        }
        switch field.cardinality {
        case .optional:
            printer.block("if let value = \(code.reference) {") { body(&$0, "value") }
        case .singular where code.isMessage:
            printer.block("if let value = \(code.reference) {") { body(&$0, "value") }
        case .singular:
            let condition: String = switch field.type {
            case .scalar(let scalar): scalar.isNonDefault(code.reference)
            default: "\(code.reference).rawValue != 0"
            }
            printer.block("if \(condition) {") { body(&$0, code.reference) }
        case .repeated:
            printer.block("if !\(code.reference).isEmpty {") { body(&$0, code.reference) }
        }
    }

    // MARK: Size

    private func emitSize(_ code: FieldCode, into printer: inout CodePrinter) {
        let tagSize = code.tagBytes.count
        if code.field.cardinality != .repeated, !code.isMap, let fixed = fixedSize(code.field.type) {
            whenPresentIgnoringValue(code, size: String(tagSize + fixed), into: &printer)
            return
        }
        whenPresent(code, into: &printer) { body, value in
            switch (code.field.cardinality, code.field.type) {
            case (_, .map(let key, let valueType)):
                body.block("for key in \(value).keysInWireOrder {") { loop in
                    loop.line("let slot = cache.reserveSlot()")
                    loop.line("let entrySize = \(mapEntrySize(key: key, value: valueType, keyName: "key", valueName: "\(value)[key]!"))")
                    loop.line("cache.fill(slot, with: entrySize)")
                    loop.line("size += \(tagSize) + Wire.WireFormat.lengthDelimitedSize(entrySize)")
                }
            case (.repeated, let type) where code.field.isPacked:
                if let fixed = fixedSize(type) {
                    body.line("size += \(tagSize) + Wire.WireFormat.lengthDelimitedSize(\(value).count * \(fixed))")
                } else {
                    body.line("let slot = cache.reserveSlot()")
                    body.line("var length = 0")
                    body.line("for element in \(value) { length += \(valueSize(type, "element")) }")
                    body.line("cache.fill(slot, with: length)")
                    body.line("size += \(tagSize) + Wire.WireFormat.lengthDelimitedSize(length)")
                }
            case (.repeated, let type):
                if let fixed = fixedSize(type) {
                    body.line("size += \(value).count * \(tagSize + fixed)")
                } else {
                    body.line("for element in \(value) { size += \(tagSize) + \(valueSize(type, "element")) }")
                }
            case (_, let type):
                body.line("size += \(tagSize) + \(valueSize(type, value))")
            }
        }
    }

    /// Like `whenPresent`, but for a size that does not depend on the value: tests presence only.
    private func whenPresentIgnoringValue(_ code: FieldCode, size: String, into printer: inout CodePrinter) {
        if let oneof = code.oneof {
            printer.line("if case .\(code.oneofCase)? = self.\(oneof.swiftName) { size += \(size) }")
        } else if code.field.cardinality == .optional {
            printer.line("if \(code.reference) != nil { size += \(size) }")
        } else {
            whenPresent(code, into: &printer) { body, _ in body.line("size += \(size)") }
        }
    }

    /// Size of one value without its tag; nested messages are measured into the cache.
    private func valueSize(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): scalar.sizeExpression(value)
        case .enumeration: "Wire.WireFormat.int32Size(\(value).rawValue)"
        case .message: "cache.measureDelimited(\(value))"
        case .map: fatalError("a map value cannot be a map")
        }
    }

    private func fixedSize(_ type: FieldType) -> Int? {
        if case .scalar(let scalar) = type { return scalar.fixedSize }
        return nil
    }

    /// Map entries always carry both key (field 1) and value (field 2), as protoc's encoders write them.
    private func mapEntrySize(key: ScalarType, value: FieldType, keyName: String, valueName: String) -> String {
        "2 + \(key.sizeExpression(keyName)) + \(valueSize(value, valueName))"
    }

    // MARK: Encode

    private func emitEncode(_ code: FieldCode, into printer: inout CodePrinter) {
        whenPresent(code, into: &printer) { body, value in
            switch (code.field.cardinality, code.field.type) {
            case (_, .map(let key, let valueType)):
                body.block("for key in \(value).keysInWireOrder {") { loop in
                    loop.line(code.writeTag)
                    loop.line("writer.writeVarint(cache.nextSize())")
                    loop.line("writer.writeByte(0x\(String(key.wireType | 8, radix: 16, uppercase: true))); \(key.writeStatement("key"))")
                    let valueTag = FieldCode.tagBytes(number: 2, wireType: wireType(valueType))
                    loop.line("\(FieldCode.writeTagStatements(valueTag)); \(writeValue(valueType, "\(value)[key]!"))")
                }
            case (.repeated, let type) where code.field.isPacked:
                body.line(code.writeTag)
                if let fixed = fixedSize(type) {
                    body.line("writer.writeVarint(\(value).count * \(fixed))")
                } else {
                    body.line("writer.writeVarint(cache.nextSize())")
                }
                body.line("for element in \(value) { \(writeValue(type, "element")) }")
            case (.repeated, let type):
                body.line("for element in \(value) { \(code.writeTag); \(writeValue(type, "element")) }")
            case (_, let type):
                body.line(code.writeTag)
                body.line(writeValue(type, value))
            }
        }
    }

    private func wireType(_ type: FieldType) -> Int {
        switch type {
        case .scalar(let scalar): scalar.wireType
        case .enumeration: 0
        case .message, .map: 2
        }
    }

    private func writeValue(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): scalar.writeStatement(value)
        case .enumeration: "writer.writeInt32(\(value).rawValue)"
        case .message: "writer.writeDelimited(\(value), cache: &cache)"
        case .map: fatalError("a map value cannot be a map")
        }
    }

    // MARK: Decode

    private func emitDecodeCase(_ code: FieldCode, into printer: inout CodePrinter) {
        let field = code.field
        let label = code.fieldLabel
        printer.line("case \(field.number):")
        var lines: [String] = []
        switch (field.cardinality, field.type) {
        case (_, .map(let key, let valueType)):
            lines.append("try reader.decodeMapEntry(")
            lines.append("    tag, field: \(label), into: &\(code.reference),")
            lines.append("    key: \(key.defaultValue), value: \(defaultValue(valueType)),")
            lines.append("    readKey: { reader, tag throws(Wire.WireDecodingError) in try reader.\(key.decodeMethod)(tag, field: \"key\") },")
            lines.append("    readValue: { reader, tag throws(Wire.WireDecodingError) in \(readValue(valueType, label: "\"value\"")) }")
            lines.append(")")
        case (.repeated, .message):
            lines.append("try reader.decodeRepeatedMessage(tag, field: \(label), into: &\(code.reference))")
        case (.repeated, .scalar(let scalar)):
            if let packed = scalar.repeatedDecode {
                lines.append("try reader.\(packed.method)(tag, field: \(label), into: &\(code.reference)) { \(packed.conversion) }")
            } else {
                lines.append("\(code.reference).append(try reader.\(scalar.decodeMethod)(tag, field: \(label)))")
            }
        case (.repeated, .enumeration(let reference)):
            lines.append("try reader.decodeRepeatedVarint(tag, field: \(label), into: &\(code.reference)) { \(reference.swiftFullName)(rawValue: Int32(truncatingIfNeeded: $0)) }")
        case (_, .message(let reference)):
            if let oneof = code.oneof {
                lines.append("var message = \(reference.swiftFullName)()")
                lines.append("if case .\(code.oneofCase)(let existing)? = self.\(oneof.swiftName) { message = existing }")
                lines.append("try reader.decodeMessage(tag, field: \(label), into: &message)")
                lines.append("self.\(oneof.swiftName) = .\(code.oneofCase)(message)")
            } else {
                lines.append("var message = \(code.reference) ?? \(reference.swiftFullName)()")
                lines.append("try reader.decodeMessage(tag, field: \(label), into: &message)")
                lines.append("\(code.reference) = message")
            }
        case (_, let type):
            let read = readScalarOrEnum(type, label: label)
            if let oneof = code.oneof {
                lines.append("self.\(oneof.swiftName) = .\(code.oneofCase)(\(read))")
            } else {
                lines.append("\(code.reference) = \(read)")
            }
        }
        for text in lines { printer.line("    " + text) }
    }

    private func readScalarOrEnum(_ type: FieldType, label: String) -> String {
        switch type {
        case .scalar(let scalar): "try reader.\(scalar.decodeMethod)(tag, field: \(label))"
        case .enumeration(let reference): "\(reference.swiftFullName)(rawValue: try reader.decodeInt32(tag, field: \(label)))"
        case .message, .map: fatalError("not a scalar")
        }
    }

    private func readValue(_ type: FieldType, label: String) -> String {
        if case .message(let reference) = type {
            return "var message = \(reference.swiftFullName)(); try reader.decodeMessage(tag, field: \(label), into: &message); return message"
        }
        return readScalarOrEnum(type, label: label)
    }

    private func defaultValue(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar): scalar.defaultValue
        case .enumeration(let reference): "\(reference.swiftFullName)(rawValue: 0)"
        case .message(let reference): "\(reference.swiftFullName)()"
        case .map: fatalError("a map value cannot be a map")
        }
    }
}
