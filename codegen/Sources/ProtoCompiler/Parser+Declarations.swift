// Messages, fields, oneofs, enums, reserved statements and services.

extension Parser {
    /// The largest legal field number (2^29 - 1); also what `max` means in a message's `reserved`.
    static let maxFieldNumber: Int64 = 536_870_911

    mutating func parseMessage() throws(CompileError) -> MessageSyntax {
        let keyword = current
        advance()
        let (name, position) = try expectIdentifier(what: "a message name after 'message'")
        var message = MessageSyntax(name: name, comments: keyword.leadingComments, position: position)
        try expectSymbol("{", after: "the message name '\(name)'")
        while !isSymbol("}") {
            let token = current
            switch token.kind {
            case .endOfFile:
                throw error(at: token, "expected '}' to close message '\(name)', found end of file")
            case .symbol(";"):
                advance()
            case .identifier("option"):
                message.options.append(try parseOptionStatement())
            case .identifier("message"):
                message.messages.append(try parseMessage())
            case .identifier("enum"):
                message.enums.append(try parseEnum())
            case .identifier("reserved"):
                try parseReserved(maximum: Self.maxFieldNumber, allowsNegative: false,
                                  ranges: &message.reservedRanges, names: &message.reservedNames)
            case .identifier("oneof"):
                try parseOneof(into: &message)
            case .identifier("extensions"):
                throw error(at: token, "extension ranges ('extensions') are not allowed in proto3")
            case .identifier("extend"):
                throw error(at: token, "'extend' is not supported: this compiler handles messages, enums and services only")
            default:
                message.fields.append(try parseField(oneofIndex: nil))
            }
        }
        advance()
        return message
    }

    /// `label? type name = number [options];` where type may be `map<K, V>`.
    mutating func parseField(oneofIndex: Int?) throws(CompileError) -> FieldSyntax {
        let first = current
        var label = FieldLabelSyntax.none
        switch first.kind {
        case .identifier("repeated"):
            label = .repeated
            advance()
        case .identifier("optional"):
            label = .optional
            advance()
        case .identifier("required"):
            throw error(at: first, "'required' fields are not allowed in proto3")
        default:
            break
        }
        let typeToken = current
        let type: TypeSyntax
        if isKeyword("group") {
            throw error(at: typeToken, "groups are not supported in proto3; use a nested message instead")
        } else if isKeyword("map") && peek(1).kind == .symbol("<") {
            type = try parseMapType()
        } else if case .identifier = typeToken.kind {
            type = Self.typeSyntax(named: try parseTypeName(what: "a field type"))
        } else if isSymbol(".") {
            type = .named(try parseTypeName(what: "a field type"))
        } else {
            throw error(at: typeToken, "expected a field declaration (a type followed by a name), found \(typeToken.kind)")
        }
        let (name, position) = try expectIdentifier(what: "a field name after the type '\(type)'")
        try expectSymbol("=", after: "the field name '\(name)'")
        let numberToken = current
        let number = try parseSignedInteger(what: "a field number for '\(name)'")
        var options: [OptionSyntax] = []
        if isSymbol("[") {
            options = try parseBracketedOptions()
        }
        try expectSymbol(";", after: "the declaration of field '\(name)'")
        return FieldSyntax(
            name: name, label: label, type: type, number: number, options: options, oneofIndex: oneofIndex,
            comments: first.leadingComments, position: position, typePosition: typeToken.position,
            numberPosition: numberToken.position
        )
    }

    private mutating func parseMapType() throws(CompileError) -> TypeSyntax {
        advance()
        advance()
        let key = try parseMapComponent(what: "a map key type")
        try expectSymbol(",", after: "the map key type")
        let value = try parseMapComponent(what: "a map value type")
        try expectSymbol(">", after: "the map value type")
        return .map(key: key, value: value)
    }

    private mutating func parseMapComponent(what: String) throws(CompileError) -> TypeSyntax {
        if isKeyword("map") && peek(1).kind == .symbol("<") {
            return try parseMapType()
        }
        return Self.typeSyntax(named: try parseTypeName(what: what))
    }

    static func typeSyntax(named name: String) -> TypeSyntax {
        ScalarType(rawValue: name).map(TypeSyntax.scalar) ?? .named(name)
    }

    private mutating func parseOneof(into message: inout MessageSyntax) throws(CompileError) {
        let keyword = current
        advance()
        let (name, position) = try expectIdentifier(what: "a oneof name after 'oneof'")
        let oneofIndex = message.oneofs.count
        message.oneofs.append(OneofSyntax(name: name, options: [], comments: keyword.leadingComments, position: position))
        try expectSymbol("{", after: "the oneof name '\(name)'")
        while !isSymbol("}") {
            switch current.kind {
            case .endOfFile:
                throw error(at: current, "expected '}' to close oneof '\(name)', found end of file")
            case .symbol(";"):
                advance()
            case .identifier("option"):
                message.oneofs[oneofIndex].options.append(try parseOptionStatement())
            default:
                message.fields.append(try parseField(oneofIndex: oneofIndex))
            }
        }
        advance()
    }

    /// `reserved 1, 5 to 10, 100 to max;` or `reserved "a", "b";`
    mutating func parseReserved(
        maximum: Int64, allowsNegative: Bool,
        ranges: inout [ReservedRangeSyntax], names: inout [ReservedNameSyntax]
    ) throws(CompileError) {
        advance()
        if case .string = current.kind {
            repeat {
                if isSymbol(",") { advance() }
                let position = current.position
                names.append(ReservedNameSyntax(name: try expectString(what: "a reserved name"), position: position))
            } while isSymbol(",")
        } else if case .identifier(let word) = current.kind {
            throw error(at: current, "reserved names must be quoted strings in proto3, e.g. \"\(word)\"")
        } else {
            repeat {
                if isSymbol(",") { advance() }
                let position = current.position
                let start = try parseReservedBound(allowsNegative: allowsNegative)
                var end = start
                if isKeyword("to") {
                    advance()
                    if isKeyword("max") {
                        advance()
                        end = maximum
                    } else {
                        end = try parseReservedBound(allowsNegative: allowsNegative)
                    }
                }
                ranges.append(ReservedRangeSyntax(start: start, end: end, position: position))
            } while isSymbol(",")
        }
        try expectSymbol(";", after: "the reserved list")
    }

    private mutating func parseReservedBound(allowsNegative: Bool) throws(CompileError) -> Int64 {
        if isSymbol("-") && !allowsNegative {
            throw error(at: current, "reserved field numbers must be positive")
        }
        return try parseSignedInteger(what: "a reserved number")
    }

    /// `-`? integer, as an `Int64`.
    mutating func parseSignedInteger(what: String) throws(CompileError) -> Int64 {
        var negative = false
        if isSymbol("-") {
            negative = true
            advance()
        }
        guard case .integer(let magnitude) = current.kind else {
            throw error(at: current, "expected \(what), found \(current.kind)")
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw error(at: current, "\(what) is out of range: \(negative ? "-" : "")\(magnitude)")
        }
        advance()
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    mutating func parseEnum() throws(CompileError) -> EnumSyntax {
        let keyword = current
        advance()
        let (name, position) = try expectIdentifier(what: "an enum name after 'enum'")
        var syntax = EnumSyntax(name: name, comments: keyword.leadingComments, position: position)
        try expectSymbol("{", after: "the enum name '\(name)'")
        while !isSymbol("}") {
            let token = current
            switch token.kind {
            case .endOfFile:
                throw error(at: token, "expected '}' to close enum '\(name)', found end of file")
            case .symbol(";"):
                advance()
            case .identifier("option"):
                syntax.options.append(try parseOptionStatement())
            case .identifier("reserved"):
                try parseReserved(maximum: Int64(Int32.max), allowsNegative: true,
                                  ranges: &syntax.reservedRanges, names: &syntax.reservedNames)
            default:
                let (valueName, valuePosition) = try expectIdentifier(what: "an enum value name in enum '\(name)'")
                try expectSymbol("=", after: "the enum value name '\(valueName)'")
                let number = try parseSignedInteger(what: "a number for enum value '\(valueName)'")
                let options = isSymbol("[") ? try parseBracketedOptions() : []
                try expectSymbol(";", after: "the enum value '\(valueName)'")
                syntax.values.append(EnumValueSyntax(
                    name: valueName, number: number, options: options,
                    comments: token.leadingComments, position: valuePosition
                ))
            }
        }
        advance()
        return syntax
    }

    mutating func parseService() throws(CompileError) -> ServiceSyntax {
        let keyword = current
        advance()
        let (name, position) = try expectIdentifier(what: "a service name after 'service'")
        var service = ServiceSyntax(name: name, comments: keyword.leadingComments, position: position)
        try expectSymbol("{", after: "the service name '\(name)'")
        while !isSymbol("}") {
            let token = current
            switch token.kind {
            case .endOfFile:
                throw error(at: token, "expected '}' to close service '\(name)', found end of file")
            case .symbol(";"):
                advance()
            case .identifier("option"):
                service.options.append(try parseOptionStatement())
            case .identifier("rpc"):
                service.methods.append(try parseMethod())
            default:
                throw error(at: token, "expected 'rpc' or 'option' in service '\(name)', found \(token.kind)")
            }
        }
        advance()
        return service
    }

    /// `rpc Name (stream? Request) returns (stream? Response) ( ; | { option ...; } )`
    private mutating func parseMethod() throws(CompileError) -> MethodSyntax {
        let keyword = current
        advance()
        let (name, position) = try expectIdentifier(what: "a method name after 'rpc'")
        try expectSymbol("(", after: "the method name '\(name)'")
        let input = try parseStreamableType(what: "the request type of '\(name)'")
        try expectSymbol(")", after: "the request type of '\(name)'")
        guard isKeyword("returns") else {
            throw error(at: current, "expected 'returns' after the request type of '\(name)', found \(current.kind)")
        }
        advance()
        try expectSymbol("(", after: "'returns'")
        let output = try parseStreamableType(what: "the response type of '\(name)'")
        try expectSymbol(")", after: "the response type of '\(name)'")
        var options: [OptionSyntax] = []
        let hasBody = isSymbol("{")
        if hasBody {
            advance()
            while !isSymbol("}") {
                switch current.kind {
                case .symbol(";"): advance()
                case .identifier("option"): options.append(try parseOptionStatement())
                default: throw error(at: current, "expected 'option' or '}' in the body of method '\(name)', found \(current.kind)")
                }
            }
            advance()
        } else {
            try expectSymbol(";", after: "the declaration of method '\(name)'")
        }
        return MethodSyntax(
            name: name, inputType: input.name, outputType: output.name,
            clientStreaming: input.streaming, serverStreaming: output.streaming, options: options,
            comments: keyword.leadingComments, position: position,
            inputPosition: input.position, outputPosition: output.position, hasBody: hasBody
        )
    }

    private mutating func parseStreamableType(what: String) throws(CompileError) -> (name: String, streaming: Bool, position: SourcePosition) {
        var streaming = false
        // `stream` is only a modifier when a type follows; `(stream)` names a type called `stream`.
        if isKeyword("stream"), peek(1).kind != .symbol(")") {
            streaming = true
            advance()
        }
        let position = current.position
        return (try parseTypeName(what: what), streaming, position)
    }
}
