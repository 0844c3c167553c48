/// A problem found in a `.proto` file, located precisely enough for an editor to jump to it.
///
/// Every stage of the front end reports failures this way; nothing is skipped silently.
public struct CompileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Path of the offending file relative to its import root.
    public var file: String
    /// 1-based line of the offending token.
    public var line: Int
    /// 1-based column (in characters) of the offending token.
    public var column: Int
    /// What was unexpected or what is wrong.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    init(file: String, at position: SourcePosition, _ message: String) {
        self.init(file: file, line: position.line, column: position.column, message: message)
    }

    /// `file:line:column: error: message`, the format compilers and editors understand.
    public var description: String {
        "\(file):\(line):\(column): error: \(message)"
    }
}
