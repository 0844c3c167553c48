/// Writes a checked file as the `google.protobuf.FileDescriptorProto` that protoc would write for
/// it with `--descriptor_set_out` (no source info): the descriptor gRPC server reflection serves.
///
/// protoc's own conventions are kept so the bytes are equal: fields in number order, `json_name`
/// on every field, a map field's entry message (`FooEntry`, `map_entry = true`) among the nested
/// types at the map's place in the source, a synthetic oneof `_name` after the real ones for each
/// proto3 `optional`, message reserved ranges end-exclusive and enum ones end-inclusive.
struct FileDescriptorEncoder {
    let syntax: FileSyntax
    let resolver: TypeResolver

    /// FieldDescriptorProto.Type numbers.
    private static let scalarTypes: [ScalarType: Int] = [
        .double: 1, .float: 2, .int64: 3, .uint64: 4, .int32: 5, .fixed64: 6, .fixed32: 7, .bool: 8, .string: 9,
        .bytes: 12, .uint32: 13, .sfixed32: 15, .sfixed64: 16, .sint32: 17, .sint64: 18,
    ]
    private static let messageType = 11, enumType = 14
    private static let optionalLabel = 1, repeatedLabel = 3

    func encode() throws(CompileError) -> [UInt8] {
        let package = syntax.package?.name ?? ""
        var file = ProtoBytes()
        file.string(1, syntax.path)
        if !package.isEmpty { file.string(2, package) }
        for dependency in syntax.imports { file.string(3, dependency.path) }
        for message in syntax.messages {
            try file.message(4) { (writer: inout ProtoBytes) throws(CompileError) in try write(message, scope: package, into: &writer) }
        }
        for enumSyntax in syntax.enums {
            try file.message(5) { (writer: inout ProtoBytes) throws(CompileError) in try write(enumSyntax, into: &writer) }
        }
        for service in syntax.services {
            try file.message(6) { (writer: inout ProtoBytes) throws(CompileError) in try write(service, scope: package, into: &writer) }
        }
        try writeOptions(syntax.options, .file, field: 8, into: &file)
        for (index, dependency) in syntax.imports.enumerated() where dependency.isPublic { file.int(10, index) }
        file.string(12, "proto3")
        return file.bytes
    }

    private func writeOptions(_ options: [OptionSyntax], _ context: OptionContext, field: Int, into writer: inout ProtoBytes) throws(CompileError) {
        if let encoded = try DescriptorOptions.encode(options, in: context, file: syntax.path) { writer.bytes(field, encoded) }
    }

    // MARK: Messages

    /// A nested declaration in source order: a message, or the entry message of a map field.
    private enum NestedType {
        case message(MessageSyntax)
        case mapEntry(FieldSyntax, key: TypeSyntax, value: TypeSyntax)
    }

    private func write(_ message: MessageSyntax, scope: String, into writer: inout ProtoBytes) throws(CompileError) {
        let fullName = SymbolTable.qualified(message.name, in: scope)
        writer.string(1, message.name)
        for field in message.fields {
            try writer.message(2) { (fieldWriter: inout ProtoBytes) throws(CompileError) in try write(field, of: message, container: fullName, into: &fieldWriter) }
        }
        var nested: [(position: SourcePosition, type: NestedType)] = message.messages.map { ($0.position, .message($0)) }
        for field in message.fields {
            if case .map(let key, let value) = field.type { nested.append((field.position, .mapEntry(field, key: key, value: value))) }
        }
        for (_, type) in nested.sorted(by: { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) }) {
            try writer.message(3) { (nestedWriter: inout ProtoBytes) throws(CompileError) in
                switch type {
                case .message(let child): try write(child, scope: fullName, into: &nestedWriter)
                case .mapEntry(let field, let key, let value): try writeMapEntry(field, key: key, value: value, container: fullName, into: &nestedWriter)
                }
            }
        }
        for enumSyntax in message.enums {
            try writer.message(4) { (enumWriter: inout ProtoBytes) throws(CompileError) in try write(enumSyntax, into: &enumWriter) }
        }
        try writeOptions(message.options, .message, field: 7, into: &writer)
        for oneof in message.oneofs {
            try writer.message(8) { (oneofWriter: inout ProtoBytes) throws(CompileError) in
                oneofWriter.string(1, oneof.name)
                try writeOptions(oneof.options, .oneof, field: 2, into: &oneofWriter)
            }
        }
        for name in syntheticOneofNames(of: message) {
            try writer.message(8) { (oneofWriter: inout ProtoBytes) throws(CompileError) in oneofWriter.string(1, name) }
        }
        for range in message.reservedRanges {
            try writer.message(9) { (rangeWriter: inout ProtoBytes) throws(CompileError) in
                rangeWriter.int(1, Int(range.start))
                rangeWriter.int(2, Int(range.end) + 1)
            }
        }
        for name in message.reservedNames { writer.string(10, name.name) }
    }

    /// protoc's names for the oneofs of proto3 `optional` fields: `_field`, prefixed with `X` until
    /// no field or oneof of the message has that name.
    private func syntheticOneofNames(of message: MessageSyntax) -> [String] {
        var taken = Set(message.fields.map(\.name) + message.oneofs.map(\.name))
        var names: [String] = []
        for field in message.fields where field.label == .optional {
            var name = field.name.hasPrefix("_") ? field.name : "_" + field.name
            while taken.contains(name) { name = "X" + name }
            taken.insert(name)
            names.append(name)
        }
        return names
    }

    private func write(_ field: FieldSyntax, of message: MessageSyntax, container: String, into writer: inout ProtoBytes) throws(CompileError) {
        writer.string(1, field.name)
        writer.int(3, Int(field.number))
        switch field.type {
        case .map:
            writer.int(4, Self.repeatedLabel)
            writer.int(5, Self.messageType)
            writer.string(6, "." + SymbolTable.qualified(Self.mapEntryName(field.name), in: container))
        default:
            writer.int(4, field.label == .repeated ? Self.repeatedLabel : Self.optionalLabel)
            try writeType(field.type, container: container, at: field.typePosition, into: &writer)
        }
        try writeOptions(field.options, .field, field: 8, into: &writer)
        if let index = field.oneofIndex {
            writer.int(9, index)
        } else if field.label == .optional {
            let syntheticIndex = message.fields.filter { $0.label == .optional }.firstIndex { $0.name == field.name } ?? 0
            writer.int(9, message.oneofs.count + syntheticIndex)
        }
        writer.string(10, OptionRules.string("json_name", in: field.options) ?? SwiftNaming.jsonName(field.name))
        if field.label == .optional { writer.bool(17, true) }
    }

    /// `type` (5) and, for a message or enum, `type_name` (6).
    private func writeType(_ type: TypeSyntax, container: String, at position: SourcePosition, into writer: inout ProtoBytes) throws(CompileError) {
        switch type {
        case .scalar(let scalar):
            writer.int(5, Self.scalarTypes[scalar]!)
        case .named(let name):
            let symbol = try resolver.resolveType(name, in: container, at: position)
            writer.int(5, symbol.kind == .enumeration ? Self.enumType : Self.messageType)
            writer.string(6, "." + symbol.fullName)
        case .map:
            throw CompileError(file: syntax.path, at: position, "a map cannot be a map's key or value")
        }
    }

    private func writeMapEntry(_ field: FieldSyntax, key: TypeSyntax, value: TypeSyntax, container: String, into writer: inout ProtoBytes) throws(CompileError) {
        writer.string(1, Self.mapEntryName(field.name))
        for (name, number, type) in [("key", 1, key), ("value", 2, value)] {
            try writer.message(2) { (entryField: inout ProtoBytes) throws(CompileError) in
                entryField.string(1, name)
                entryField.int(3, number)
                entryField.int(4, Self.optionalLabel)
                try writeType(type, container: container, at: field.typePosition, into: &entryField)
                entryField.string(10, name)
            }
        }
        try writer.message(7) { (options: inout ProtoBytes) throws(CompileError) in options.bool(7, true) }
    }

    /// protoc's entry message name: the field name with its first letter and each letter after an
    /// underscore capitalised, underscores dropped, then `Entry`.
    static func mapEntryName(_ fieldName: String) -> String {
        let camel = SwiftNaming.jsonName(fieldName)
        return camel.prefix(1).uppercased() + camel.dropFirst() + "Entry"
    }

    // MARK: Enums and services

    private func write(_ enumSyntax: EnumSyntax, into writer: inout ProtoBytes) throws(CompileError) {
        writer.string(1, enumSyntax.name)
        for value in enumSyntax.values {
            try writer.message(2) { (valueWriter: inout ProtoBytes) throws(CompileError) in
                valueWriter.string(1, value.name)
                valueWriter.int(2, Int(value.number))
                try writeOptions(value.options, .enumValue, field: 3, into: &valueWriter)
            }
        }
        try writeOptions(enumSyntax.options, .enumeration, field: 3, into: &writer)
        for range in enumSyntax.reservedRanges {
            try writer.message(4) { (rangeWriter: inout ProtoBytes) throws(CompileError) in
                rangeWriter.int(1, Int(range.start))
                rangeWriter.int(2, Int(range.end))
            }
        }
        for name in enumSyntax.reservedNames { writer.string(5, name.name) }
    }

    private func write(_ service: ServiceSyntax, scope: String, into writer: inout ProtoBytes) throws(CompileError) {
        let fullName = SymbolTable.qualified(service.name, in: scope)
        writer.string(1, service.name)
        for method in service.methods {
            try writer.message(2) { (methodWriter: inout ProtoBytes) throws(CompileError) in
                methodWriter.string(1, method.name)
                methodWriter.string(2, "." + (try resolver.resolveType(method.inputType, in: fullName, at: method.inputPosition)).fullName)
                methodWriter.string(3, "." + (try resolver.resolveType(method.outputType, in: fullName, at: method.outputPosition)).fullName)
                if let options = try DescriptorOptions.encode(method.options, in: .method, file: syntax.path) {
                    methodWriter.bytes(4, options)
                } else if method.hasBody {
                    methodWriter.bytes(4, [])
                }
                if method.clientStreaming { methodWriter.bool(5, true) }
                if method.serverStreaming { methodWriter.bool(6, true) }
            }
        }
        try writeOptions(service.options, .service, field: 3, into: &writer)
    }
}
