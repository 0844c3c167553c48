// Enum and service rules.

extension SemanticChecker {
    func check(_ enumSyntax: EnumSyntax, scope: String) throws(CompileError) {
        let fullName = SymbolTable.qualified(enumSyntax.name, in: scope)
        try OptionRules.check(enumSyntax.options, in: .enumeration, file: file)
        guard let first = enumSyntax.values.first else {
            throw error(at: enumSyntax.position, "enum '\(fullName)' must contain at least one value")
        }
        guard first.number == 0 else {
            throw error(at: first.position, "the first value of enum '\(fullName)' must be 0 in proto3 (it is the default), but '\(first.name)' is \(first.number)")
        }
        let int32Range = Int64(Int32.min)...Int64(Int32.max)
        try checkReservedRanges(enumSyntax.reservedRanges, allowed: int32Range, owner: "enum '\(fullName)'")

        let allowsAlias = OptionRules.bool("allow_alias", in: enumSyntax.options) ?? false
        let swiftNames = SwiftNaming.enumCaseNames(enumName: enumSyntax.name, valueNames: enumSyntax.values.map(\.name))
        var valuesByNumber: [Int64: EnumValueSyntax] = [:]
        var valuesBySwiftName: [String: EnumValueSyntax] = [:]
        var hasAlias = false
        for (value, swiftName) in zip(enumSyntax.values, swiftNames) {
            try OptionRules.check(value.options, in: .enumValue, file: file)
            guard int32Range.contains(value.number) else {
                throw error(at: value.position, "enum value '\(value.name)' = \(value.number) is outside the 32-bit signed integer range")
            }
            if let range = enumSyntax.reservedRanges.first(where: { $0.start <= value.number && value.number <= $0.end }) {
                throw error(at: value.position, "enum value '\(value.name)' uses number \(value.number), which is reserved by 'reserved' at \(range.position)")
            }
            if enumSyntax.reservedNames.contains(where: { $0.name == value.name }) {
                throw error(at: value.position, "enum value name '\(value.name)' is reserved in enum '\(fullName)'")
            }
            if let earlier = valuesByNumber[value.number] {
                guard allowsAlias else {
                    throw error(at: value.position, "enum value '\(value.name)' uses the number \(value.number) already used by '\(earlier.name)'; if this alias is intended, set 'option allow_alias = true;' in enum '\(fullName)'")
                }
                hasAlias = true
            } else {
                valuesByNumber[value.number] = value
            }
            // Aliases are emitted as static members next to the cases, so they need distinct names too.
            if let earlier = valuesBySwiftName[swiftName] {
                throw error(at: value.position, "enum values '\(earlier.name)' and '\(value.name)' of enum '\(fullName)' both map to the Swift name '\(swiftName)' (names are compared without the enum-name prefix, case or underscores)")
            }
            valuesBySwiftName[swiftName] = value
        }
        if allowsAlias && !hasAlias {
            throw error(at: enumSyntax.position, "enum '\(fullName)' sets 'allow_alias = true' but has no values sharing a number; remove the option")
        }
    }

    func check(_ service: ServiceSyntax, scope: String) throws(CompileError) {
        let fullName = SymbolTable.qualified(service.name, in: scope)
        try OptionRules.check(service.options, in: .service, file: file)
        for method in service.methods {
            try OptionRules.check(method.options, in: .method, file: file)
            for (role, name, position) in [("request", method.inputType, method.inputPosition), ("response", method.outputType, method.outputPosition)] {
                let symbol = try resolver.resolveType(name, in: fullName, at: position)
                guard symbol.kind == .message else {
                    throw error(at: position, "the \(role) type '\(name)' of method '\(method.name)' is the enum '\(symbol.fullName)'; request and response types must be messages")
                }
            }
        }
    }
}
