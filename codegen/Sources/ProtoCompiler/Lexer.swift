/// Splits `.proto` source text into tokens, decoding literals and attaching each comment block
/// to the token it documents.
///
/// Comment attachment follows protoc: a comment block is *leading* for the next token when nothing
/// but whitespace (and no blank line) separates them, and it does not start on the line of the
/// previous token (there it would be that token's trailing comment).
public struct Lexer {
    private let file: String
    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1
    private var lastTokenLine = 0

    /// `file` is only used to label errors.
    public init(source: String, file: String) {
        self.file = file
        self.bytes = Array(source.utf8)
    }

    /// Tokenizes the whole source; the last token is always `.endOfFile`.
    public mutating func tokenize() throws(CompileError) -> [Token] {
        var tokens: [Token] = []
        while true {
            let comments = try skipTriviaCollectingComments()
            let token = try nextToken()
            let leading = leadingComment(in: comments, before: token.position.line)
            tokens.append(Token(kind: token.kind, position: token.position, leadingComments: leading))
            lastTokenLine = line
            if token.kind == .endOfFile { return tokens }
        }
    }

    // MARK: - Comments and whitespace

    private struct CommentBlock {
        var lines: [String]
        var startLine: Int
        var endLine: Int
        var isLineComment: Bool
    }

    private mutating func skipTriviaCollectingComments() throws(CompileError) -> [CommentBlock] {
        var blocks: [CommentBlock] = []
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n") || byte == 0x0B || byte == 0x0C
            {
                advance()
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/") {
                let startLine = line
                advance(2)
                let text = readUntilEndOfLine()
                if var last = blocks.last, last.isLineComment, last.endLine == startLine - 1 {
                    last.lines.append(text)
                    last.endLine = startLine
                    blocks[blocks.count - 1] = last
                } else {
                    blocks.append(CommentBlock(lines: [text], startLine: startLine, endLine: startLine, isLineComment: true))
                }
            } else if byte == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = currentPosition
                advance(2)
                let lines = try readBlockComment(startingAt: start)
                blocks.append(CommentBlock(lines: lines, startLine: start.line, endLine: line, isLineComment: false))
            } else {
                break
            }
        }
        return blocks
    }

    private func leadingComment(in blocks: [CommentBlock], before tokenLine: Int) -> [String] {
        guard let last = blocks.last,
            last.endLine == tokenLine - 1 || (last.endLine == tokenLine && !last.isLineComment),
            last.startLine != lastTokenLine
        else { return [] }
        return last.lines
    }

    private mutating func readUntilEndOfLine() -> String {
        let start = offset
        while let byte = peek(), byte != UInt8(ascii: "\n") { advance() }
        return Self.commentLine(String(decoding: bytes[start..<offset], as: UTF8.self))
    }

    private mutating func readBlockComment(startingAt start: SourcePosition) throws(CompileError) -> [String] {
        let contentStart = offset
        while true {
            guard let byte = peek() else {
                throw CompileError(file: file, at: start, "block comment is not terminated; expected '*/' before end of file")
            }
            if byte == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/") { break }
            advance()
        }
        let content = String(decoding: bytes[contentStart..<offset], as: UTF8.self)
        advance(2)
        var lines = content.split(separator: "\n", omittingEmptySubsequences: false).map { rawLine in
            var text = Substring(rawLine).drop { $0 == " " || $0 == "\t" }
            // Continuation lines conventionally start with " * "; that star is decoration.
            if text.hasPrefix("*") { text = text.dropFirst() }
            return Self.commentLine(String(text))
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// One leading space is the conventional gap after the comment marker, not content.
    private static func commentLine(_ text: String) -> String {
        var result = Substring(text)
        if result.hasPrefix(" ") { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" || last == "\r" { result = result.dropLast() }
        return String(result)
    }

    // MARK: - Tokens

    private mutating func nextToken() throws(CompileError) -> Token {
        let start = currentPosition
        guard let byte = peek() else { return Token(kind: .endOfFile, position: start) }
        if Self.isIdentifierHead(byte) {
            let begin = offset
            while let next = peek(), Self.isIdentifierHead(next) || Self.isDigit(next) { advance() }
            return Token(kind: .identifier(String(decoding: bytes[begin..<offset], as: UTF8.self)), position: start)
        }
        if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(Self.isDigit) == true) {
            return Token(kind: try readNumber(start: start), position: start)
        }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            return Token(kind: .string(try readString(start: start)), position: start)
        }
        if let symbol = Self.symbols.first(where: { $0.asciiValue == byte }) {
            advance()
            return Token(kind: .symbol(symbol), position: start)
        }
        let character = String(decoding: bytes[offset..<min(offset + Self.scalarLength(byte), bytes.count)], as: UTF8.self)
        throw CompileError(file: file, at: start, "unexpected character '\(character)'")
    }

    private static let symbols: [Character] = ["=", ";", "{", "}", "[", "]", "(", ")", "<", ">", ",", ".", "-", "+", ":", "/"]

    private mutating func readNumber(start: SourcePosition) throws(CompileError) -> Token.Kind {
        let begin = offset
        if peek() == UInt8(ascii: "0"), let x = peek(1), x == UInt8(ascii: "x") || x == UInt8(ascii: "X") {
            advance(2)
            let digitsStart = offset
            while let next = peek(), Self.hexValue(next) != nil { advance() }
            guard offset > digitsStart else {
                throw CompileError(file: file, at: start, "'0x' must be followed by hexadecimal digits")
            }
            try rejectIdentifierAfterNumber()
            return .integer(try integer(from: bytes[digitsStart..<offset], radix: 16, start: start))
        }
        var isFloat = false
        while let next = peek(), Self.isDigit(next) { advance() }
        if peek() == UInt8(ascii: ".") {
            isFloat = true
            advance()
            while let next = peek(), Self.isDigit(next) { advance() }
        }
        if let e = peek(), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isFloat = true
            advance()
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { advance() }
            let exponentStart = offset
            while let next = peek(), Self.isDigit(next) { advance() }
            guard offset > exponentStart else {
                throw CompileError(file: file, at: start, "exponent of a number must contain digits")
            }
        }
        try rejectIdentifierAfterNumber()
        let text = bytes[begin..<offset]
        if isFloat {
            guard let value = Double(String(decoding: text, as: UTF8.self)) else {
                throw CompileError(file: file, at: start, "invalid number '\(String(decoding: text, as: UTF8.self))'")
            }
            return .float(value)
        }
        if text.count > 1 && text.first == UInt8(ascii: "0") {
            guard text.allSatisfy({ $0 < UInt8(ascii: "8") }) else {
                throw CompileError(file: file, at: start, "invalid octal number '\(String(decoding: text, as: UTF8.self))'")
            }
            return .integer(try integer(from: text.dropFirst(), radix: 8, start: start))
        }
        return .integer(try integer(from: text, radix: 10, start: start))
    }

    private func integer(from digits: ArraySlice<UInt8>, radix: UInt64, start: SourcePosition) throws(CompileError) -> UInt64 {
        var value: UInt64 = 0
        for digit in digits {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: radix)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(Self.hexValue(digit)!))
            if overflow1 || overflow2 {
                throw CompileError(file: file, at: start, "integer literal is too large for 64 bits")
            }
            value = sum
        }
        return value
    }

    private mutating func rejectIdentifierAfterNumber() throws(CompileError) {
        if let next = peek(), Self.isIdentifierHead(next) || next == UInt8(ascii: ".") {
            throw CompileError(file: file, at: currentPosition, "unexpected character '\(Character(Unicode.Scalar(next)))' after number; numbers must be followed by whitespace or punctuation")
        }
    }

    private mutating func readString(start: SourcePosition) throws(CompileError) -> String {
        let quote = peek()!
        advance()
        var decoded: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                throw CompileError(file: file, at: start, "string literal is not terminated before the end of the line")
            }
            if byte == quote {
                advance()
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                try readEscape(into: &decoded)
            } else {
                decoded.append(byte)
                advance()
            }
        }
    }

    private mutating func readEscape(into decoded: inout [UInt8]) throws(CompileError) {
        let escapePosition = currentPosition
        advance()
        guard let letter = peek() else {
            throw CompileError(file: file, at: escapePosition, "string literal is not terminated before end of file")
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B, UInt8(ascii: "\\"): 0x5C,
            UInt8(ascii: "?"): 0x3F, UInt8(ascii: "'"): 0x27, UInt8(ascii: "\""): 0x22,
        ]
        if let value = simple[letter] {
            advance()
            decoded.append(value)
        } else if letter == UInt8(ascii: "x") || letter == UInt8(ascii: "X") {
            advance()
            let value = readDigits(maxCount: 2, radix: 16)
            guard let value else {
                throw CompileError(file: file, at: escapePosition, "'\\x' must be followed by one or two hexadecimal digits")
            }
            decoded.append(UInt8(value))
        } else if letter >= UInt8(ascii: "0") && letter <= UInt8(ascii: "7") {
            let value = readDigits(maxCount: 3, radix: 8)!
            guard value <= 0xFF else {
                throw CompileError(file: file, at: escapePosition, "octal escape \\\(String(value, radix: 8)) is larger than one byte")
            }
            decoded.append(UInt8(value))
        } else if letter == UInt8(ascii: "u") || letter == UInt8(ascii: "U") {
            advance()
            let count = letter == UInt8(ascii: "u") ? 4 : 8
            let digitsStart = offset
            let value = readDigits(maxCount: count, radix: 16)
            guard let value, offset - digitsStart == count, let scalar = Unicode.Scalar(value) else {
                throw CompileError(file: file, at: escapePosition, "'\\\(Character(Unicode.Scalar(letter)))' must be followed by exactly \(count) hexadecimal digits naming a Unicode scalar")
            }
            decoded.append(contentsOf: Array(String(Character(scalar)).utf8))
        } else {
            throw CompileError(file: file, at: escapePosition, "invalid escape sequence '\\\(Character(Unicode.Scalar(letter)))' in string literal")
        }
    }

    private mutating func readDigits(maxCount: Int, radix: UInt32) -> UInt32? {
        var value: UInt32 = 0
        var count = 0
        while count < maxCount, let byte = peek(), let digit = Self.hexValue(byte), UInt32(digit) < radix {
            value = value * radix + UInt32(digit)
            count += 1
            advance()
        }
        return count == 0 ? nil : value
    }

    // MARK: - Cursor

    private var currentPosition: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ distance: Int = 0) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                // UTF-8 continuation bytes belong to the character already counted.
                column += 1
            }
        }
    }

    private static func isIdentifierHead(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func scalarLength(_ leadByte: UInt8) -> Int {
        switch leadByte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
