/// Enforces proto3's rules on one parsed file whose names are already in the symbol table.
///
/// Checking stops at the first violation, reported with the position of the offending
/// declaration; a file that passes can be modelled without further validation.
struct SemanticChecker {
    let syntax: FileSyntax
    let resolver: TypeResolver

    var file: String { syntax.path }

    init(syntax: FileSyntax, symbols: SymbolTable, visibleFiles: Set<String>) {
        self.syntax = syntax
        self.resolver = TypeResolver(symbols: symbols, file: syntax.path, visibleFiles: visibleFiles)
    }

    func check() throws(CompileError) {
        try OptionRules.check(syntax.options, in: .file, file: file)
        let package = syntax.package?.name ?? ""
        for message in syntax.messages {
            try check(message, scope: package)
        }
        for enumSyntax in syntax.enums {
            try check(enumSyntax, scope: package)
        }
        for service in syntax.services {
            try check(service, scope: package)
        }
    }

    func error(at position: SourcePosition, _ message: String) -> CompileError {
        CompileError(file: file, at: position, message)
    }

    // MARK: - Messages

    private func check(_ message: MessageSyntax, scope: String) throws(CompileError) {
        let fullName = SymbolTable.qualified(message.name, in: scope)
        try OptionRules.check(message.options, in: .message, file: file)
        try checkReservedRanges(message.reservedRanges, allowed: 1...Parser.maxFieldNumber, owner: "message '\(fullName)'")
        for (index, oneof) in message.oneofs.enumerated() {
            try OptionRules.check(oneof.options, in: .oneof, file: file)
            if !message.fields.contains(where: { $0.oneofIndex == index }) {
                throw error(at: oneof.position, "oneof '\(oneof.name)' must have at least one field")
            }
        }

        var fieldsByNumber: [Int64: FieldSyntax] = [:]
        var fieldsByJSONName: [String: FieldSyntax] = [:]
        for field in message.fields {
            try checkNumber(of: field)
            if let earlier = fieldsByNumber[field.number] {
                throw error(at: field.numberPosition, "field number \(field.number) of '\(field.name)' is already used by field '\(earlier.name)' in message '\(fullName)'")
            }
            fieldsByNumber[field.number] = field
            if let range = message.reservedRanges.first(where: { $0.start <= field.number && field.number <= $0.end }) {
                throw error(at: field.numberPosition, "field '\(field.name)' uses field number \(field.number), which is reserved by 'reserved' at \(range.position)")
            }
            if message.reservedNames.contains(where: { $0.name == field.name }) {
                throw error(at: field.position, "field name '\(field.name)' is reserved in message '\(fullName)'")
            }
            let jsonName = OptionRules.string("json_name", in: field.options) ?? SwiftNaming.jsonName(field.name)
            if let earlier = fieldsByJSONName[jsonName] {
                throw error(at: field.position, "the JSON name '\(jsonName)' of field '\(field.name)' conflicts with the JSON name of field '\(earlier.name)' in message '\(fullName)'")
            }
            fieldsByJSONName[jsonName] = field
            try check(field, in: message, fullName: fullName)
        }

        for nested in message.messages {
            try check(nested, scope: fullName)
        }
        for nested in message.enums {
            try check(nested, scope: fullName)
        }
    }

    private func checkNumber(of field: FieldSyntax) throws(CompileError) {
        guard (1...Parser.maxFieldNumber).contains(field.number) else {
            throw error(at: field.numberPosition, "field number \(field.number) of '\(field.name)' is out of range; field numbers must be between 1 and \(Parser.maxFieldNumber)")
        }
        if (19_000...19_999).contains(field.number) {
            throw error(at: field.numberPosition, "field number \(field.number) of '\(field.name)' is in the range 19000 to 19999, which is reserved for the protocol buffer implementation")
        }
    }

    /// Ranges must lie in `allowed`, run upwards and not overlap one another.
    func checkReservedRanges(_ ranges: [ReservedRangeSyntax], allowed: ClosedRange<Int64>, owner: String) throws(CompileError) {
        for (index, range) in ranges.enumerated() {
            guard range.start <= range.end else {
                throw error(at: range.position, "reserved range \(range.start) to \(range.end) in \(owner) ends before it starts")
            }
            guard allowed.contains(range.start), allowed.contains(range.end) else {
                throw error(at: range.position, "reserved range \(range.start) to \(range.end) in \(owner) is outside \(allowed.lowerBound) to \(allowed.upperBound)")
            }
            if let other = ranges[..<index].first(where: { $0.start <= range.end && range.start <= $0.end }) {
                throw error(at: range.position, "reserved range \(range.start) to \(range.end) overlaps the reserved range \(other.start) to \(other.end) at \(other.position)")
            }
        }
    }
}
