/// Accumulates generated source text with four-space indentation.
struct CodePrinter {
    private(set) var output = ""
    private var depth = 0

    /// Appends one line at the current indentation (an empty string gives an empty line).
    mutating func line(_ text: String = "") {
        if text.isEmpty {
            output += "\n"
        } else {
            output += String(repeating: "    ", count: depth) + text + "\n"
        }
    }

    /// Appends doc-comment lines.
    mutating func docComment(_ lines: [String]) {
        for text in lines {
            line(text.isEmpty ? "///" : "/// " + text)
        }
    }

    /// `opening` + indented body + `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodePrinter) -> Void) {
        line(opening)
        depth += 1
        body(&self)
        depth -= 1
        line(closing)
    }
}
