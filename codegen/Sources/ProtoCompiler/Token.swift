/// A 1-based line and column in a `.proto` file.
public struct SourcePosition: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Used for problems that concern a whole file rather than a token in it.
    static let startOfFile = SourcePosition(line: 1, column: 1)

    public var description: String { "\(line):\(column)" }
}

/// One lexical unit of a `.proto` file.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `[A-Za-z_][A-Za-z0-9_]*`, including keywords, `inf` and `nan`.
        case identifier(String)
        /// A decimal, hexadecimal or octal integer without sign.
        case integer(UInt64)
        case float(Double)
        /// A quoted string with escapes decoded.
        case string(String)
        /// One punctuation character such as `{`, `=` or `.`.
        case symbol(Character)
        case endOfFile
    }

    public var kind: Kind
    public var position: SourcePosition
    /// The comment block directly above this token (not separated by a blank line and not
    /// trailing the previous token's line), one entry per line, without comment markers.
    public var leadingComments: [String]

    public init(kind: Kind, position: SourcePosition, leadingComments: [String] = []) {
        self.kind = kind
        self.position = position
        self.leadingComments = leadingComments
    }
}

extension Token.Kind: CustomStringConvertible {
    /// How the token reads in an error message.
    public var description: String {
        switch self {
        case .identifier(let name): "'\(name)'"
        case .integer(let value): "integer \(value)"
        case .float(let value): "number \(value)"
        case .string(let value): "string \"\(value)\""
        case .symbol(let symbol): "'\(symbol)'"
        case .endOfFile: "end of file"
        }
    }
}
