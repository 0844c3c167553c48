/// Emits a message's canonical proto3 JSON mapping: `writeJSON(to:)` (JSON names, defaults omitted,
/// 64-bit integers as strings, bytes as base64) and `readJSON(from:path:)` (JSON or proto names).
struct MessageJSONEmitter {
    let access: String

    func emit(_ message: MessageModel, fields: [FieldCode], into printer: inout CodePrinter) {
        printer.block("\(access) func writeJSON(to json: inout Wire.JSONWriter) {") { body in
            body.line("json.beginObject()")
            for code in fields { emitWrite(code, into: &body) }
            body.line("json.endObject()")
        }
        printer.line()
        let signature = "\(access) mutating func readJSON(from object: Wire.JSONObject, path: Wire.JSONPath) throws(Wire.JSONMappingError) {"
        printer.block(signature) { body in
            body.block("for (name, \(fields.isEmpty ? "_" : "value")) in object.members {") { loop in
                loop.line("switch name {")
                for code in fields { emitRead(code, into: &loop) }
                loop.line("default:")
                loop.line("    throw Wire.JSONMappingError(path: path, reason: \"unknown field \\\"\\(name)\\\" in \(message.fullName)\")")
                loop.line("}")
            }
        }
    }

    // MARK: Write

    private func emitWrite(_ code: FieldCode, into printer: inout CodePrinter) {
        let key = "json.key(\"\(code.field.jsonName)\")"
        let field = code.field
        if let oneof = code.oneof {
            printer.line("if case .\(code.oneofCase)(let value)? = self.\(oneof.swiftName) { \(key); \(writeValue(field.type, "value")) }")
            return
        }
        switch (field.cardinality, field.type) {
        case (_, .map(let keyType, let valueType)):
            printer.block("if !\(code.reference).isEmpty {") { body in
                body.line(key)
                body.line("json.beginObject()")
                body.line("for key in \(code.reference).keysInWireOrder { json.key(\(keyType.jsonMapKeyString("key"))); \(writeValue(valueType, "\(code.reference)[key]!")) }")
                body.line("json.endObject()")
            }
        case (.repeated, let type):
            printer.block("if !\(code.reference).isEmpty {") { body in
                body.line(key)
                body.line("json.beginArray()")
                body.line("for element in \(code.reference) { json.element(); \(writeValue(type, "element")) }")
                body.line("json.endArray()")
            }
        case (.optional, let type):
            printer.line("if let value = \(code.reference) { \(key); \(writeValue(type, "value")) }")
        case (.singular, let type) where code.isMessage:
            printer.line("if let value = \(code.reference) { \(key); \(writeValue(type, "value")) }")
        case (.singular, .scalar(let scalar)):
            printer.line("if \(scalar.isNonDefault(code.reference)) { \(key); \(scalar.jsonWriteStatement(code.reference)) }")
        case (.singular, let type):
            printer.line("if \(code.reference).rawValue != 0 { \(key); \(writeValue(type, code.reference)) }")
        }
    }

    private func writeValue(_ type: FieldType, _ value: String) -> String {
        switch type {
        case .scalar(let scalar): scalar.jsonWriteStatement(value)
        case .enumeration: "json.writeEnum(\(value))"
        case .message: "json.writeMessage(\(value))"
        case .map: fatalError("a map value cannot be a map")
        }
    }

    // MARK: Read

    private func emitRead(_ code: FieldCode, into printer: inout CodePrinter) {
        let field = code.field
        let names = Set([field.jsonName, field.protoName]).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        printer.line("case \(names):")
        let path = "fieldPath"
        var lines = ["let \(path) = path.appending(\"\(field.jsonName)\")"]
        if let oneof = code.oneof {
            lines.append("if value.isNull { continue }")
            lines.append("guard self.\(oneof.swiftName) == nil else {")
            lines.append("    throw Wire.JSONMappingError(path: \(path), reason: \"more than one field of oneof \(oneof.protoName) is set\")")
            lines.append("}")
            lines.append("self.\(oneof.swiftName) = .\(code.oneofCase)(try \(readValue(field.type, "value", path: path)))")
        } else {
            switch (field.cardinality, field.type) {
            case (_, .map(let keyType, let valueType)):
                lines.append("var entries: \(code.valueType) = [:]")
                lines.append("for (key, entry) in try value.mapObject(at: \(path)).members {")
                lines.append("    let entryPath = \(path).appending(key: key)")
                lines.append("    entries[\(keyType.jsonMapKeyExpression("key", path: "entryPath"))] = try \(readValue(valueType, "entry", path: "entryPath"))")
                lines.append("}")
                lines.append("\(code.reference) = entries")
            case (.repeated, let type):
                lines.append("var elements: \(code.propertyType) = []")
                lines.append("for (index, element) in try value.array(at: \(path)).enumerated() {")
                lines.append("    elements.append(try \(readValue(type, "element", path: "\(path).appending(index: index)")))")
                lines.append("}")
                lines.append("\(code.reference) = elements")
            case (.singular, let type) where !code.isMessage:
                lines.append("\(code.reference) = value.isNull ? \(code.defaultValue!) : try \(readValue(type, "value", path: path))")
            case (_, let type):
                lines.append("\(code.reference) = value.isNull ? nil : try \(readValue(type, "value", path: path))")
            }
        }
        for text in lines { printer.line("    " + text) }
    }

    private func readValue(_ type: FieldType, _ value: String, path: String) -> String {
        switch type {
        case .scalar(let scalar): scalar.jsonReadExpression(value, path: path)
        case .enumeration(let reference): "\(value).enumValue(at: \(path), as: \(reference.swiftFullName).self)"
        case .message(let reference): "\(value).message(at: \(path), as: \(reference.swiftFullName).self)"
        case .map: fatalError("a map value cannot be a map")
        }
    }
}
