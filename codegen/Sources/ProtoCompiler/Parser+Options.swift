// Option statements, bracketed field options and their values, including text-format aggregates.

extension Parser {
    /// `option name = value;`
    mutating func parseOptionStatement() throws(CompileError) -> OptionSyntax {
        advance()
        let option = try parseOptionAssignment()
        try expectSymbol(";", after: "the value of option '\(option.name)'")
        return option
    }

    /// `[name = value, ...]` after a field or enum value.
    mutating func parseBracketedOptions() throws(CompileError) -> [OptionSyntax] {
        advance()
        var options = [try parseOptionAssignment()]
        while isSymbol(",") {
            advance()
            options.append(try parseOptionAssignment())
        }
        try expectSymbol("]", after: "the option list")
        return options
    }

    private mutating func parseOptionAssignment() throws(CompileError) -> OptionSyntax {
        let position = current.position
        let name = try parseOptionName()
        try expectSymbol("=", after: "the option name '\(name)'")
        let valuePosition = current.position
        let value = try parseOptionValue(allowsAggregate: true)
        return OptionSyntax(name: name, value: value, position: position, valuePosition: valuePosition)
    }

    /// `part ("." part)*` where a part is an identifier or a parenthesized extension name.
    private mutating func parseOptionName() throws(CompileError) -> OptionNameSyntax {
        var parts = [try parseOptionNamePart()]
        while isSymbol(".") {
            advance()
            parts.append(try parseOptionNamePart())
        }
        return OptionNameSyntax(parts: parts)
    }

    private mutating func parseOptionNamePart() throws(CompileError) -> OptionNameSyntax.Part {
        if isSymbol("(") {
            advance()
            let name = try parseTypeName(what: "an extension name inside '(...)'")
            try expectSymbol(")", after: "the extension name '\(name)'")
            return .extensionName(name)
        }
        return .simple(try expectIdentifier(what: "an option name").name)
    }

    /// A constant: identifier, signed number, string or (for aggregates) `{ ... }`.
    private mutating func parseOptionValue(allowsAggregate: Bool) throws(CompileError) -> OptionValueSyntax {
        let token = current
        switch token.kind {
        case .symbol("{") where allowsAggregate:
            return .aggregate(try parseAggregate(closing: "}"))
        case .symbol("-"), .symbol("+"):
            let negative = token.kind == .symbol("-")
            advance()
            switch current.kind {
            case .integer(let magnitude):
                advance()
                return .integer(negative: negative, magnitude: magnitude)
            case .float(let value):
                advance()
                return .float(negative ? -value : value)
            case .identifier(let word) where word == "inf" || word == "nan":
                advance()
                let magnitude: Double = word == "inf" ? .infinity : .nan
                return .float(negative ? -magnitude : magnitude)
            default:
                throw error(at: current, "expected a number after '\(negative ? "-" : "+")', found \(current.kind)")
            }
        case .integer(let magnitude):
            advance()
            return .integer(negative: false, magnitude: magnitude)
        case .float(let value):
            advance()
            return .float(value)
        case .string:
            return .string(try expectString(what: "a string"))
        case .identifier(let word):
            advance()
            return .identifier(word)
        default:
            throw error(at: token, "expected an option value (a constant, string, number or '{ ... }'), found \(token.kind)")
        }
    }

    /// A text-format message body: `name: value`, `name { ... }`, `[ext.name]: value`, lists `[a, b]`,
    /// with optional `,`/`;` separators. Kept uninterpreted.
    private mutating func parseAggregate(closing: Character) throws(CompileError) -> [AggregateFieldSyntax] {
        let open = current
        advance()
        var fields: [AggregateFieldSyntax] = []
        while !isSymbol(closing) {
            if current.kind == .endOfFile {
                throw error(at: open, "aggregate option value opened here is not closed with '\(closing)'")
            }
            let name: String
            if isSymbol("[") {
                advance()
                var inner = try parseTypeName(what: "an extension or type URL name")
                if isSymbol("/") {
                    advance()
                    inner += "/" + (try parseTypeName(what: "a type name after '/'"))
                }
                try expectSymbol("]", after: "the bracketed field name")
                name = "[\(inner)]"
            } else {
                name = try expectIdentifier(what: "a field name in the aggregate value").name
            }
            let hasColon = isSymbol(":")
            if hasColon { advance() }
            let value: OptionValueSyntax
            if isSymbol("{") || isSymbol("<") {
                value = .aggregate(try parseAggregate(closing: isSymbol("{") ? "}" : ">"))
            } else if hasColon && isSymbol("[") {
                value = try parseAggregateList()
            } else if hasColon {
                value = try parseOptionValue(allowsAggregate: false)
            } else {
                throw error(at: current, "expected ':' or '{' after aggregate field '\(name)', found \(current.kind)")
            }
            fields.append(AggregateFieldSyntax(name: name, value: value))
            if isSymbol(",") || isSymbol(";") { advance() }
        }
        advance()
        return fields
    }

    private mutating func parseAggregateList() throws(CompileError) -> OptionValueSyntax {
        advance()
        var elements: [OptionValueSyntax] = []
        while !isSymbol("]") {
            if !elements.isEmpty {
                try expectSymbol(",", after: "a list element")
            }
            if isSymbol("{") || isSymbol("<") {
                elements.append(.aggregate(try parseAggregate(closing: isSymbol("{") ? "}" : ">")))
            } else {
                elements.append(try parseOptionValue(allowsAggregate: false))
            }
        }
        advance()
        return .list(elements)
    }
}
