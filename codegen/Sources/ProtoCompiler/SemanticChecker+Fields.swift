// Field-level rules: labels, map key and value types, oneof membership, type resolution, `packed`.

extension SemanticChecker {
    func check(_ field: FieldSyntax, in message: MessageSyntax, fullName: String) throws(CompileError) {
        try OptionRules.check(field.options, in: .field, file: file)
        if let oneofIndex = field.oneofIndex {
            let oneofName = message.oneofs[oneofIndex].name
            if case .map = field.type {
                throw error(at: field.typePosition, "map field '\(field.name)' cannot be a member of oneof '\(oneofName)'; map fields are not allowed in oneofs")
            }
            switch field.label {
            case .repeated: throw error(at: field.position, "field '\(field.name)' in oneof '\(oneofName)' cannot be 'repeated'; oneof members are single values")
            case .optional: throw error(at: field.position, "field '\(field.name)' in oneof '\(oneofName)' cannot be 'optional'; oneof members already track presence")
            case .none: break
            }
        }

        let valueKind: Symbol.Kind?
        switch field.type {
        case .scalar:
            valueKind = nil
        case .named(let name):
            valueKind = try resolver.resolveType(name, in: fullName, at: field.typePosition).kind
        case .map(let key, let value):
            if field.label != .none {
                throw error(at: field.position, "map field '\(field.name)' cannot be '\(field.label == .repeated ? "repeated" : "optional")'; maps are already repeated")
            }
            try checkMapKey(key, of: field)
            switch value {
            case .map:
                throw error(at: field.typePosition, "the value type of map field '\(field.name)' cannot be another map; wrap the inner map in a message")
            case .named(let name):
                _ = try resolver.resolveType(name, in: fullName, at: field.typePosition)
            case .scalar:
                break
            }
            valueKind = nil
        }

        if OptionRules.bool("packed", in: field.options) != nil {
            let isPackable: Bool =
                switch field.type {
                case .scalar(let scalar): scalar.isPackable
                case .named: valueKind == .enumeration
                case .map: false
                }
            guard field.label == .repeated && isPackable else {
                throw error(at: field.position, "[packed = ...] can only be specified for repeated numeric, bool or enum fields, not for '\(field.name)'")
            }
        }
    }

    private func checkMapKey(_ key: TypeSyntax, of field: FieldSyntax) throws(CompileError) {
        switch key {
        case .scalar(let scalar) where scalar.isValidMapKey:
            return
        case .scalar(let scalar):
            throw error(at: field.typePosition, "invalid map key type '\(scalar.rawValue)' for field '\(field.name)'; keys must be an integral type, bool or string")
        case .named(let name):
            throw error(at: field.typePosition, "invalid map key type '\(name)' for field '\(field.name)'; keys must be an integral type, bool or string, not a message or enum")
        case .map:
            throw error(at: field.typePosition, "invalid map key type for field '\(field.name)'; a map cannot be a map key")
        }
    }
}

extension ScalarType {
    /// Numeric and bool scalars have fixed-size encodings and so can be packed.
    var isPackable: Bool { self != .string && self != .bytes }

    /// Floating point and bytes keys are not allowed in maps.
    var isValidMapKey: Bool { self != .double && self != .float && self != .bytes }
}
