/// Turns checked syntax into the `FileModel` the emitters consume: names resolved to full proto
/// and Swift names, map entries folded into `.map` types, presence, packing and indirection decided.
///
/// It assumes `SemanticChecker` accepted the file, so lookups that fail here are programming
/// errors rather than user errors.
struct ModelBuilder {
    let syntax: FileSyntax
    let resolver: TypeResolver
    let recursion: RecursionAnalysis

    init(syntax: FileSyntax, symbols: SymbolTable, visibleFiles: Set<String>, recursion: RecursionAnalysis) {
        self.syntax = syntax
        self.resolver = TypeResolver(symbols: symbols, file: syntax.path, visibleFiles: visibleFiles)
        self.recursion = recursion
    }

    func build() throws(CompileError) -> FileModel {
        let package = syntax.package?.name ?? ""
        let prefix = SwiftNaming.typePrefix(package: package, swiftPrefix: syntax.swiftPrefixOption)
        var model = FileModel(path: syntax.path, package: package)
        for message in syntax.messages {
            model.messages.append(try build(message, scope: package))
        }
        for enumSyntax in syntax.enums {
            model.enums.append(build(enumSyntax, scope: package))
        }
        for service in syntax.services {
            model.services.append(try build(service, scope: package, prefix: prefix))
        }
        return model
    }

    /// The symbol table already named every type (so references and declarations agree); the
    /// name relative to the parent is the last component, as prefixes never contain a `.`.
    private func swiftNames(of fullName: String) -> (swiftName: String, swiftFullName: String) {
        let swiftFullName = resolver.symbols[fullName]?.swiftFullName ?? fullName
        return (String(swiftFullName.split(separator: ".").last ?? ""), swiftFullName)
    }

    private func build(_ message: MessageSyntax, scope: String) throws(CompileError) -> MessageModel {
        let fullName = SymbolTable.qualified(message.name, in: scope)
        let names = swiftNames(of: fullName)
        var model = MessageModel(fullName: fullName, swiftName: names.swiftName, swiftFullName: names.swiftFullName, comments: message.comments)
        model.oneofs = message.oneofs.enumerated().map { index, oneof in
            OneofModel(
                protoName: oneof.name,
                swiftName: SwiftNaming.oneofName(oneof.name),
                swiftTypeName: SwiftNaming.oneofTypeName(oneof.name),
                fieldNumbers: message.fields.filter { $0.oneofIndex == index }.map { Int($0.number) },
                comments: oneof.comments
            )
        }
        for field in message.fields {
            model.fields.append(try build(field, container: fullName))
        }
        for nested in message.messages {
            model.nestedMessages.append(try build(nested, scope: fullName))
        }
        for nested in message.enums {
            model.nestedEnums.append(build(nested, scope: fullName))
        }
        return model
    }

    private func build(_ field: FieldSyntax, container: String) throws(CompileError) -> FieldModel {
        let type = try fieldType(field.type, container: container, at: field.typePosition)
        let cardinality: FieldCardinality =
            switch (field.label, field.type) {
            case (_, .map), (.repeated, _): .repeated
            case (.optional, _): .optional
            case (.none, _): .singular
            }
        let isPacked: Bool =
            switch (cardinality, type) {
            case (.repeated, .scalar(let scalar)): scalar.isPackable && OptionRules.bool("packed", in: field.options) != false
            case (.repeated, .enumeration): OptionRules.bool("packed", in: field.options) != false
            default: false
            }
        var needsIndirection = false
        if cardinality != .repeated, case .message(let reference) = type {
            needsIndirection = recursion.needsIndirection(container: container, fieldType: reference.fullName)
        }
        return FieldModel(
            protoName: field.name,
            jsonName: OptionRules.string("json_name", in: field.options) ?? SwiftNaming.jsonName(field.name),
            swiftName: SwiftNaming.fieldName(field.name),
            number: Int(field.number),
            cardinality: cardinality,
            type: type,
            oneofIndex: field.oneofIndex,
            isPacked: isPacked,
            needsIndirection: needsIndirection,
            comments: field.comments
        )
    }

    private func fieldType(_ typeSyntax: TypeSyntax, container: String, at position: SourcePosition) throws(CompileError) -> FieldType {
        switch typeSyntax {
        case .scalar(let scalar):
            return .scalar(scalar)
        case .named(let name):
            let symbol = try resolver.resolveType(name, in: container, at: position)
            let reference = TypeReference(fullName: symbol.fullName, swiftFullName: symbol.swiftFullName ?? symbol.fullName)
            return symbol.kind == .enumeration ? .enumeration(reference) : .message(reference)
        case .map(let key, let value):
            guard case .scalar(let keyScalar) = key else {
                throw CompileError(file: syntax.path, at: position, "invalid map key type '\(key)'; keys must be an integral type, bool or string")
            }
            return .map(key: keyScalar, value: try fieldType(value, container: container, at: position))
        }
    }

    private func build(_ enumSyntax: EnumSyntax, scope: String) -> EnumModel {
        let fullName = SymbolTable.qualified(enumSyntax.name, in: scope)
        let names = swiftNames(of: fullName)
        let caseNames = SwiftNaming.enumCaseNames(enumName: enumSyntax.name, valueNames: enumSyntax.values.map(\.name))
        let values = zip(enumSyntax.values, caseNames).map { value, caseName in
            EnumValueModel(protoName: value.name, swiftName: caseName, number: Int32(value.number), comments: value.comments)
        }
        return EnumModel(
            fullName: fullName,
            swiftName: names.swiftName,
            swiftFullName: names.swiftFullName,
            values: values,
            comments: enumSyntax.comments
        )
    }

    private func build(_ service: ServiceSyntax, scope: String, prefix: String) throws(CompileError) -> ServiceModel {
        let fullName = SymbolTable.qualified(service.name, in: scope)
        var methods: [MethodModel] = []
        for method in service.methods {
            let input = try resolver.resolveType(method.inputType, in: fullName, at: method.inputPosition)
            let output = try resolver.resolveType(method.outputType, in: fullName, at: method.outputPosition)
            methods.append(MethodModel(
                name: method.name,
                swiftName: SwiftNaming.methodName(method.name),
                input: TypeReference(fullName: input.fullName, swiftFullName: input.swiftFullName ?? input.fullName),
                output: TypeReference(fullName: output.fullName, swiftFullName: output.swiftFullName ?? output.fullName),
                clientStreaming: method.clientStreaming,
                serverStreaming: method.serverStreaming,
                comments: method.comments
            ))
        }
        return ServiceModel(
            fullName: fullName,
            swiftName: SwiftNaming.serviceName(service.name, prefix: prefix),
            methods: methods,
            comments: service.comments
        )
    }
}
