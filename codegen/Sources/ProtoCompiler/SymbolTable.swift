/// A named thing in the global proto namespace.
struct Symbol {
    enum Kind: Equatable {
        case package, message, enumeration, enumValue, field, oneof, service, method

        var noun: String {
            switch self {
            case .package: "package"
            case .message: "message"
            case .enumeration: "enum"
            case .enumValue: "enum value"
            case .field: "field"
            case .oneof: "oneof"
            case .service: "service"
            case .method: "method"
            }
        }
    }

    var kind: Kind
    /// Fully-qualified proto name without a leading dot.
    var fullName: String
    /// The file that defines it (for a package, the first file declaring it).
    var file: String
    var position: SourcePosition
    /// For messages and enums: the fully-qualified Swift name.
    var swiftFullName: String?

    /// Types are what fields and methods may refer to.
    var isType: Bool { kind == .message || kind == .enumeration }
    /// Aggregates can contain other symbols, so a dotted name may continue inside them.
    var isAggregate: Bool { kind == .package || kind == .message || kind == .enumeration || kind == .service }
}

/// Every symbol of every loaded file by fully-qualified name, as protoc's descriptor pool keeps them.
///
/// Building it is where name clashes are found: two things with one full name are an error,
/// whichever files they come from. Enum values are defined next to their enum, not inside it
/// (C++ scoping), so `enum A { X = 0; }` and `enum B { X = 0; }` in one scope clash.
struct SymbolTable {
    private(set) var symbols: [String: Symbol] = [:]

    subscript(fullName: String) -> Symbol? { symbols[fullName] }

    /// Defines everything declared in `syntax`.
    mutating func define(_ syntax: FileSyntax) throws(CompileError) {
        let package = syntax.package?.name ?? ""
        if let declaration = syntax.package {
            var prefix = ""
            for component in declaration.name.split(separator: ".") {
                prefix = prefix.isEmpty ? String(component) : prefix + "." + component
                try define(Symbol(kind: .package, fullName: prefix, file: syntax.path, position: declaration.position))
            }
        }
        let swiftPrefix = SwiftNaming.typePrefix(package: package, swiftPrefix: syntax.swiftPrefixOption)
        for message in syntax.messages {
            let swiftName = SwiftNaming.topLevelTypeName(message.name, prefix: swiftPrefix)
            try define(message, scope: package, swiftFullName: swiftName, file: syntax.path)
        }
        for enumSyntax in syntax.enums {
            let swiftName = SwiftNaming.topLevelTypeName(enumSyntax.name, prefix: swiftPrefix, isEnum: true)
            try define(enumSyntax, scope: package, swiftFullName: swiftName, file: syntax.path)
        }
        for service in syntax.services {
            let fullName = Self.qualified(service.name, in: package)
            try define(Symbol(kind: .service, fullName: fullName, file: syntax.path, position: service.position))
            for method in service.methods {
                try define(Symbol(kind: .method, fullName: fullName + "." + method.name, file: syntax.path, position: method.position))
            }
        }
    }

    static func qualified(_ name: String, in scope: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    private mutating func define(_ message: MessageSyntax, scope: String, swiftFullName: String, file: String) throws(CompileError) {
        let fullName = Self.qualified(message.name, in: scope)
        try define(Symbol(kind: .message, fullName: fullName, file: file, position: message.position, swiftFullName: swiftFullName))
        for field in message.fields {
            try define(Symbol(kind: .field, fullName: fullName + "." + field.name, file: file, position: field.position))
        }
        for oneof in message.oneofs {
            try define(Symbol(kind: .oneof, fullName: fullName + "." + oneof.name, file: file, position: oneof.position))
        }
        for nested in message.messages {
            try define(nested, scope: fullName, swiftFullName: swiftFullName + "." + SwiftNaming.nestedTypeName(nested.name), file: file)
        }
        for nested in message.enums {
            let swiftName = swiftFullName + "." + SwiftNaming.nestedTypeName(nested.name, isEnum: true)
            try define(nested, scope: fullName, swiftFullName: swiftName, file: file)
        }
    }

    private mutating func define(_ enumSyntax: EnumSyntax, scope: String, swiftFullName: String, file: String) throws(CompileError) {
        let fullName = Self.qualified(enumSyntax.name, in: scope)
        try define(Symbol(kind: .enumeration, fullName: fullName, file: file, position: enumSyntax.position, swiftFullName: swiftFullName))
        for value in enumSyntax.values {
            let symbol = Symbol(kind: .enumValue, fullName: Self.qualified(value.name, in: scope), file: file, position: value.position)
            do {
                try define(symbol)
            } catch {
                let scopeDescription = scope.isEmpty ? "the file's top-level scope" : "'\(scope)'"
                throw CompileError(
                    file: error.file, line: error.line, column: error.column,
                    message: error.message + ". Enum values use C++ scoping rules: they are siblings of their enum, "
                        + "not children of it, so '\(value.name)' must be unique within \(scopeDescription), not just within '\(enumSyntax.name)'"
                )
            }
        }
    }

    private mutating func define(_ symbol: Symbol) throws(CompileError) {
        guard let existing = symbols[symbol.fullName] else {
            symbols[symbol.fullName] = symbol
            return
        }
        if existing.kind == .package && symbol.kind == .package { return }
        let location = existing.file == symbol.file
            ? "at \(existing.position)"
            : "in '\(existing.file)' at \(existing.position)"
        throw CompileError(
            file: symbol.file, at: symbol.position,
            "'\(symbol.fullName)' is already defined as a \(existing.kind.noun) \(location)"
        )
    }
}

extension FileSyntax {
    /// The `swift_prefix` file option, which replaces the package-derived Swift type prefix.
    var swiftPrefixOption: String? {
        for option in options where option.name.builtInName == "swift_prefix" {
            if case .string(let prefix) = option.value { return prefix }
        }
        return nil
    }
}
