import ProtoCompiler
import Testing

@Suite struct ParserTests {
    private func parse(_ source: String) throws -> FileSyntax {
        try Parser.parse(source: source, file: "t.proto")
    }

    private func parseError(_ source: String) -> CompileError? {
        do {
            _ = try parse(source)
            return nil
        } catch {
            return error as? CompileError
        }
    }

    @Test func fileLevelStatements() throws {
        let file = try parse("""
            syntax = "proto3";
            package medledger.v1;
            import "a.proto";
            import public "b.proto";
            option go_package = "example.com/x";
            option (my.ext).sub = { name: "x" nested { n: 1 } list: [1, 2] [ext.field]: true };
            ;
            """)
        #expect(file.package?.name == "medledger.v1")
        #expect(file.imports.map(\.path) == ["a.proto", "b.proto"])
        #expect(file.imports.map(\.isPublic) == [false, true])
        #expect(file.options.count == 2)
        #expect(file.options[1].name.parts == [.extensionName("my.ext"), .simple("sub")])
        #expect(file.options[1].value == .aggregate([
            AggregateFieldSyntax(name: "name", value: .string("x")),
            AggregateFieldSyntax(name: "nested", value: .aggregate([AggregateFieldSyntax(name: "n", value: .integer(negative: false, magnitude: 1))])),
            AggregateFieldSyntax(name: "list", value: .list([.integer(negative: false, magnitude: 1), .integer(negative: false, magnitude: 2)])),
            AggregateFieldSyntax(name: "[ext.field]", value: .identifier("true")),
        ]))
    }

    @Test func messageWithEveryKindOfMember() throws {
        let file = try parse("""
            syntax = "proto3";
            message Block {
              message Header { uint64 height = 1; }
              enum Kind { KIND_UNSPECIFIED = 0; }
              option deprecated = true;
              Header header = 1;
              repeated bytes txs = 2 [packed = false, (custom) = -5];
              optional string note = 3;
              map<string, .pkg.Value> attrs = 4;
              oneof payload {
                option (o) = 1;
                string text = 5;
                Kind kind = 6;
              }
              reserved 8, 10 to 12, 100 to max;
              reserved "old", "older";
              ;
            }
            """)
        let block = file.messages[0]
        #expect(block.messages.map(\.name) == ["Header"])
        #expect(block.enums.map(\.name) == ["Kind"])
        #expect(block.fields.map(\.name) == ["header", "txs", "note", "attrs", "text", "kind"])
        #expect(block.fields.map(\.label) == [.none, .repeated, .optional, .none, .none, .none])
        #expect(block.fields[3].type == .map(key: .scalar(.string), value: .named(".pkg.Value")))
        #expect(block.fields.map(\.oneofIndex) == [nil, nil, nil, nil, 0, 0])
        #expect(block.fields[1].options.count == 2)
        #expect(block.fields[1].options[1].value == .integer(negative: true, magnitude: 5))
        #expect(block.oneofs.map(\.name) == ["payload"])
        #expect(block.oneofs[0].options.count == 1)
        #expect(block.reservedRanges.map { [$0.start, $0.end] } == [[8, 8], [10, 12], [100, 536_870_911]])
        #expect(block.reservedNames.map(\.name) == ["old", "older"])
        #expect(block.fields[2].position == SourcePosition(line: 8, column: 19))
        #expect(block.fields[2].numberPosition == SourcePosition(line: 8, column: 26))
    }

    @Test func enumsWithNegativeValuesAliasesAndReserved() throws {
        let file = try parse("""
            syntax = "proto3";
            enum E {
              option allow_alias = true;
              E_ZERO = 0;
              E_NEG = -1 [deprecated = true];
              E_ALIAS = 0;
              reserved -5 to -3, 7 to max;
              reserved "GONE";
            }
            """)
        let e = file.enums[0]
        #expect(e.values.map(\.number) == [0, -1, 0])
        #expect(e.reservedRanges.map { [$0.start, $0.end] } == [[-5, -3], [7, Int64(Int32.max)]])
        #expect(e.values[1].options.count == 1)
    }

    @Test func servicesWithStreamingAndOptionBodies() throws {
        let file = try parse("""
            syntax = "proto3";
            service Ledger {
              option deprecated = false;
              rpc Submit (Tx) returns (Receipt);
              rpc Watch (WatchRequest) returns (stream Event) {}
              rpc Upload (stream .pkg.Chunk) returns (Receipt) { option idempotency_level = IDEMPOTENT; };
              rpc Chat (stream Msg) returns (stream Msg);
              rpc Odd (stream) returns (stream);
            }
            """)
        let methods = file.services[0].methods
        #expect(methods.map(\.name) == ["Submit", "Watch", "Upload", "Chat", "Odd"])
        #expect(methods.map(\.clientStreaming) == [false, false, true, true, false])
        #expect(methods.map(\.serverStreaming) == [false, true, false, true, false])
        #expect(methods[2].inputType == ".pkg.Chunk")
        #expect(methods[2].options.count == 1)
        #expect(methods[4].inputType == "stream")
    }

    @Test func commentsAreCarriedOnDeclarations() throws {
        let file = try parse("""
            syntax = "proto3";
            // A block of transactions.
            message Block {
              // Height in the chain.
              uint64 height = 1;
              /* Which payload. */
              oneof payload { string a = 2; }
            }
            // Kinds.
            enum Kind {
              // Unknown.
              KIND_UNSPECIFIED = 0;
            }
            // The ledger.
            service Ledger {
              // Submits.
              rpc Submit (Block) returns (Block);
            }
            """)
        #expect(file.messages[0].comments == ["A block of transactions."])
        #expect(file.messages[0].fields[0].comments == ["Height in the chain."])
        #expect(file.messages[0].oneofs[0].comments == ["Which payload."])
        #expect(file.enums[0].comments == ["Kinds."])
        #expect(file.enums[0].values[0].comments == ["Unknown."])
        #expect(file.services[0].comments == ["The ledger."])
        #expect(file.services[0].methods[0].comments == ["Submits."])
    }

    @Test func onlyProto3IsAccepted() {
        #expect(parseError(#"syntax = "proto2";"#) == CompileError(file: "t.proto", line: 1, column: 10, message: "only proto3 is supported, but this file declares syntax \"proto2\""))
        #expect(parseError(#"edition = "2023";"#)?.message.contains("editions") == true)
        let missing = parseError("message A {}")
        #expect(missing?.line == 1 && missing?.column == 1)
        #expect(missing?.message.contains("only proto3 is supported") == true)
    }

    @Test(arguments: [
        ("message A { required int32 x = 1; }", 2, 13, "'required'"),
        ("message A { group G = 1 { } }", 2, 13, "groups"),
        ("message A { extensions 100 to 200; }", 2, 13, "extension ranges"),
        ("extend Foo { int32 x = 1; }", 2, 1, "'extend'"),
        ("import weak \"x.proto\";", 2, 8, "weak imports"),
        ("message A { int32 x = 1 }", 2, 25, "expected ';'"),
        ("message A { int32 = 1; }", 2, 19, "expected a field name"),
        ("message A { int32 x = 1;", 2, 25, "expected '}' to close message 'A'"),
        ("message A { reserved foo; }", 2, 22, "must be quoted strings"),
        ("service S { rpc M (A) (B); }", 2, 23, "expected 'returns'"),
        ("enum E { A = 0 B = 1; }", 2, 16, "expected ';'"),
        ("package a; package b;", 2, 12, "multiple package"),
        ("syntax = \"proto3\";", 2, 1, "must be the first statement"),
        ("option java_package = ;", 2, 23, "expected an option value"),
        ("message A { map<string, int32 m = 1; }", 2, 31, "expected '>'"),
    ])
    func grammarErrorsPointAtTheProblem(body: String, line: Int, column: Int, expected: String) {
        let error = parseError("syntax = \"proto3\";\n" + body)
        #expect(error?.file == "t.proto")
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }
}
