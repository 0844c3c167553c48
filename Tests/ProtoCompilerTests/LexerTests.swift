import ProtoCompiler
import Testing

@Suite struct LexerTests {
    private func kinds(_ source: String) throws -> [Token.Kind] {
        var lexer = Lexer(source: source, file: "t.proto")
        return try lexer.tokenize().map(\.kind)
    }

    @Test func identifiersSymbolsAndPositions() throws {
        var lexer = Lexer(source: "message Foo {\n  int32 x = 1;\n}", file: "t.proto")
        let tokens = try lexer.tokenize()
        #expect(tokens.map(\.kind) == [
            .identifier("message"), .identifier("Foo"), .symbol("{"),
            .identifier("int32"), .identifier("x"), .symbol("="), .integer(1), .symbol(";"),
            .symbol("}"), .endOfFile,
        ])
        #expect(tokens[3].position == SourcePosition(line: 2, column: 3))
        #expect(tokens[6].position == SourcePosition(line: 2, column: 13))
        #expect(tokens[8].position == SourcePosition(line: 3, column: 1))
    }

    @Test func integerLiteralsInEveryBase() throws {
        #expect(try kinds("42 0x2A 0X2a 052 0") == [.integer(42), .integer(42), .integer(42), .integer(42), .integer(0), .endOfFile])
        #expect(try kinds("18446744073709551615") == [.integer(UInt64.max), .endOfFile])
    }

    @Test func floatLiterals() throws {
        #expect(try kinds("1.5 .25 1e3 2.5E-2 3.") == [.float(1.5), .float(0.25), .float(1000), .float(0.025), .float(3), .endOfFile])
        #expect(try kinds("inf nan") == [.identifier("inf"), .identifier("nan"), .endOfFile])
    }

    @Test func stringLiteralsDecodeEscapes() throws {
        #expect(try kinds(#""a\nb" 'it\'s' "\x41\101\u00e9\U0001F600" "\"\\""#) == [
            .string("a\nb"), .string("it's"), .string("AAé😀"), .string("\"\\"), .endOfFile,
        ])
    }

    @Test func commentsAttachToTheNextToken() throws {
        let source = """
            // Detached: a blank line follows.

            // The block.
            //  Indented second line.
            message Block {
              /* A field
               * spanning lines. */
              int32 height = 1; // trailing, not leading
              int32 next = 2;
            }
            """
        var lexer = Lexer(source: source, file: "t.proto")
        let tokens = try lexer.tokenize()
        #expect(tokens[0].leadingComments == ["The block.", " Indented second line."])
        let height = try #require(tokens.first { $0.kind == .identifier("int32") })
        #expect(height.leadingComments == ["A field", "spanning lines."])
        let next = try #require(tokens.last { $0.kind == .identifier("int32") })
        #expect(next.leadingComments == [])
    }

    @Test func errorsCarryPositions() {
        func lexError(_ source: String) -> CompileError? {
            var lexer = Lexer(source: source, file: "t.proto")
            do {
                _ = try lexer.tokenize()
                return nil
            } catch {
                return error
            }
        }
        let unterminated = lexError("x = \"abc\ny")
        #expect(unterminated?.line == 1)
        #expect(unterminated?.column == 5)
        #expect(unterminated?.message.contains("not terminated") == true)

        let badEscape = lexError("\n  'a\\qb'")
        #expect(badEscape == CompileError(file: "t.proto", line: 2, column: 5, message: "invalid escape sequence '\\q' in string literal"))

        #expect(lexError("089")?.message.contains("octal") == true)
        #expect(lexError("0x")?.message.contains("hexadecimal") == true)
        #expect(lexError("12abc")?.message.contains("after number") == true)
        #expect(lexError("a @ b") == CompileError(file: "t.proto", line: 1, column: 3, message: "unexpected character '@'"))
        #expect(lexError("/* never closed")?.message.contains("not terminated") == true)
        #expect(lexError("99999999999999999999")?.message.contains("too large") == true)
    }

    @Test func errorDescriptionUsesCompilerFormat() {
        let error = CompileError(file: "a/b.proto", line: 3, column: 7, message: "oops")
        #expect(error.description == "a/b.proto:3:7: error: oops")
    }
}
