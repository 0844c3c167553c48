/// Recursive-descent parser for proto3 files: turns tokens into a `FileSyntax` tree.
///
/// It only checks grammar; names are resolved and rules enforced by the semantic checker.
/// Anything outside proto3 (proto2, editions, groups, `extend`, `extensions`, `required`,
/// `weak` imports) is rejected here with an error that says so.
public struct Parser {
    let file: String
    private var tokens: [Token]
    private var index = 0

    /// Lexes `source`; `file` labels errors and becomes `FileSyntax.path`.
    public init(source: String, file: String) throws(CompileError) {
        var lexer = Lexer(source: source, file: file)
        self.tokens = try lexer.tokenize()
        self.file = file
    }

    /// Parses a complete file.
    public static func parse(source: String, file: String) throws(CompileError) -> FileSyntax {
        var parser = try Parser(source: source, file: file)
        return try parser.parseFile()
    }

    public mutating func parseFile() throws(CompileError) -> FileSyntax {
        try parseSyntaxStatement()
        var syntax = FileSyntax(path: file)
        while current.kind != .endOfFile {
            if isSymbol(";") {
                advance()
                continue
            }
            let keyword = current
            guard case .identifier(let word) = keyword.kind else {
                throw error(at: keyword, "expected a top-level declaration (message, enum, service, import, package or option), found \(keyword.kind)")
            }
            switch word {
            case "import": syntax.imports.append(try parseImport())
            case "package":
                if let existing = syntax.package {
                    throw error(at: keyword, "multiple package declarations; the package was already declared as '\(existing.name)' at \(existing.position)")
                }
                syntax.package = try parsePackage()
            case "option": syntax.options.append(try parseOptionStatement())
            case "message": syntax.messages.append(try parseMessage())
            case "enum": syntax.enums.append(try parseEnum())
            case "service": syntax.services.append(try parseService())
            case "extend": throw error(at: keyword, "'extend' is not supported: this compiler handles messages, enums and services only")
            case "syntax", "edition": throw error(at: keyword, "'\(word)' must be the first statement of the file")
            default:
                throw error(at: keyword, "expected a top-level declaration (message, enum, service, import, package or option), found \(keyword.kind)")
            }
        }
        return syntax
    }

    private mutating func parseSyntaxStatement() throws(CompileError) {
        let first = current
        guard case .identifier(let word) = first.kind, word == "syntax" || word == "edition" else {
            throw error(at: first, "expected 'syntax = \"proto3\";' as the first statement, found \(first.kind); only proto3 is supported (a file without it is proto2)")
        }
        advance()
        try expectSymbol("=", after: "'\(word)'")
        let valueToken = current
        let value = try expectString(what: "the \(word) name")
        if word == "edition" {
            throw error(at: first, "editions (edition = \"\(value)\") are not supported; only proto3 is supported")
        }
        guard value == "proto3" else {
            throw error(at: valueToken, "only proto3 is supported, but this file declares syntax \"\(value)\"")
        }
        try expectSymbol(";", after: "the syntax statement")
    }

    private mutating func parseImport() throws(CompileError) -> ImportSyntax {
        let keyword = current
        advance()
        var isPublic = false
        if case .identifier(let modifier) = current.kind {
            if modifier == "weak" {
                throw error(at: current, "weak imports are not supported")
            }
            guard modifier == "public" else {
                throw error(at: current, "expected 'public' or a quoted file name after 'import', found \(current.kind)")
            }
            isPublic = true
            advance()
        }
        let path = try expectString(what: "the imported file name")
        try expectSymbol(";", after: "the import statement")
        return ImportSyntax(path: path, isPublic: isPublic, position: keyword.position)
    }

    private mutating func parsePackage() throws(CompileError) -> PackageSyntax {
        advance()
        let position = current.position
        let name = try parseDottedName(what: "package name")
        try expectSymbol(";", after: "the package name")
        return PackageSyntax(name: name, position: position)
    }

    // MARK: - Token cursor shared by the declaration and option parsers

    var current: Token { tokens[index] }

    func peek(_ distance: Int) -> Token {
        tokens[min(index + distance, tokens.count - 1)]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func isSymbol(_ symbol: Character) -> Bool {
        current.kind == .symbol(symbol)
    }

    func isKeyword(_ word: String) -> Bool {
        current.kind == .identifier(word)
    }

    mutating func expectSymbol(_ symbol: Character, after context: String) throws(CompileError) {
        guard isSymbol(symbol) else {
            throw error(at: current, "expected '\(symbol)' after \(context), found \(current.kind)")
        }
        advance()
    }

    mutating func expectIdentifier(what: String) throws(CompileError) -> (name: String, position: SourcePosition) {
        guard case .identifier(let name) = current.kind else {
            throw error(at: current, "expected \(what), found \(current.kind)")
        }
        let position = current.position
        advance()
        return (name, position)
    }

    /// Adjacent string literals are concatenated, as in C.
    mutating func expectString(what: String) throws(CompileError) -> String {
        guard case .string(var value) = current.kind else {
            throw error(at: current, "expected \(what) as a quoted string, found \(current.kind)")
        }
        advance()
        while case .string(let more) = current.kind {
            value += more
            advance()
        }
        return value
    }

    /// `ident ("." ident)*`
    mutating func parseDottedName(what: String) throws(CompileError) -> String {
        var name = try expectIdentifier(what: what).name
        while isSymbol(".") {
            advance()
            name += "." + (try expectIdentifier(what: "an identifier after '.' in \(what)").name)
        }
        return name
    }

    /// A type reference: an optional leading `.` (fully qualified) followed by a dotted name.
    mutating func parseTypeName(what: String) throws(CompileError) -> String {
        var prefix = ""
        if isSymbol(".") {
            advance()
            prefix = "."
        }
        return prefix + (try parseDottedName(what: what))
    }

    func error(at token: Token, _ message: String) -> CompileError {
        CompileError(file: file, at: token.position, message)
    }
}
