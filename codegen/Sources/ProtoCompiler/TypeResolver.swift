/// Resolves type names written in one file with protobuf's scoping rules.
///
/// A relative name is looked up in the innermost scope first and then in each enclosing scope
/// (`pkg.Outer.Inner`, `pkg.Outer`, `pkg`, the root); for a dotted name only its first component is
/// searched that way and the rest must exist inside what it found. A leading `.` means fully
/// qualified. Only symbols from files the current file can see count, as in protoc.
struct TypeResolver {
    let symbols: SymbolTable
    let file: String
    let visibleFiles: Set<String>

    /// The message or enum `name` refers to when written inside `scope` (the full name of the
    /// enclosing message or service, or the package).
    func resolveType(_ name: String, in scope: String, at position: SourcePosition) throws(CompileError) -> Symbol {
        var hiddenMatch: Symbol?
        let found = lookup(name, in: scope, hiddenMatch: &hiddenMatch)
        switch found {
        case .found(let symbol) where symbol.isType:
            return symbol
        case .found(let symbol):
            throw CompileError(file: file, at: position, "'\(name)' is not a message or enum type; it resolves to the \(symbol.kind.noun) '\(symbol.fullName)'")
        case .partiallyResolved(let attempted):
            throw CompileError(
                file: file, at: position,
                "'\(name)' is resolved to '\(attempted)', which is not defined. The innermost scope is searched first in name resolution; use a leading '.' (i.e. '.\(name)') to start from the outermost scope"
            )
        case .notFound:
            if let hiddenMatch {
                throw CompileError(
                    file: file, at: position,
                    "'\(name)' seems to be defined in '\(hiddenMatch.file)', which is not imported by '\(file)'; add the import to use it here"
                )
            }
            throw CompileError(file: file, at: position, "unknown type '\(name)' (searched from scope '\(scope.isEmpty ? "<root>" : scope)' outward)")
        }
    }

    private enum Lookup {
        case found(Symbol)
        case partiallyResolved(String)
        case notFound
    }

    private func lookup(_ name: String, in scope: String, hiddenMatch: inout Symbol?) -> Lookup {
        if name.hasPrefix(".") {
            return find(String(name.dropFirst()), hiddenMatch: &hiddenMatch).map(Lookup.found) ?? .notFound
        }
        let firstComponent = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        let isCompound = firstComponent.count < name.count
        // Walk outward: each candidate scope is the previous one minus its last component.
        var candidateScope: String? = scope
        while let currentScope = candidateScope {
            let candidate = SymbolTable.qualified(firstComponent, in: currentScope)
            if let symbol = find(candidate, hiddenMatch: &hiddenMatch) {
                if isCompound {
                    if symbol.isAggregate {
                        let fullCandidate = SymbolTable.qualified(name, in: currentScope)
                        if let resolved = find(fullCandidate, hiddenMatch: &hiddenMatch) { return .found(resolved) }
                        // Existing but not imported is a clearer diagnosis than "not defined".
                        return hiddenMatch?.fullName == fullCandidate ? .notFound : .partiallyResolved(fullCandidate)
                    }
                } else if symbol.isType {
                    return .found(symbol)
                }
                // A non-type (a field, say) with the right name doesn't hide types further out.
            }
            candidateScope = currentScope.isEmpty ? nil : Self.parentScope(of: currentScope)
        }
        return .notFound
    }

    static func parentScope(of scope: String) -> String {
        guard let dot = scope.lastIndex(of: ".") else { return "" }
        return String(scope[..<dot])
    }

    /// The symbol with this full name if the current file may use it. Packages are namespaces
    /// spread over many files, so they are always usable as a path prefix.
    private func find(_ fullName: String, hiddenMatch: inout Symbol?) -> Symbol? {
        guard let symbol = symbols[fullName] else { return nil }
        if symbol.kind == .package || visibleFiles.contains(symbol.file) { return symbol }
        hiddenMatch = hiddenMatch ?? symbol
        return nil
    }
}
