import ProtoCompiler
import Testing

@Suite struct SemanticCheckerTests {
    /// Each case is a file body (after `syntax` and `package p;`, so it starts on line 3),
    /// the expected error position, and a fragment of the expected message.
    @Test(arguments: [
        // Field numbers.
        ("message A { int32 a = 1; int32 b = 1; }", 3, 36, "field number 1 of 'b' is already used by field 'a'"),
        ("message A { int32 a = 0; }", 3, 23, "out of range"),
        ("message A { int32 a = 536870912; }", 3, 23, "out of range"),
        ("message A { int32 a = -1; }", 3, 23, "out of range"),
        ("message A { int32 a = 19500; }", 3, 23, "reserved for the protocol buffer implementation"),
        // Reserved.
        ("message A { reserved 2 to 4; int32 a = 3; }", 3, 40, "reserved by 'reserved' at 3:22"),
        ("message A { reserved \"a\"; int32 a = 3; }", 3, 33, "field name 'a' is reserved"),
        ("message A { reserved 5 to 2; }", 3, 22, "ends before it starts"),
        ("message A { reserved 1 to 10, 5; }", 3, 31, "overlaps"),
        ("message A { reserved 0; }", 3, 22, "outside 1 to 536870911"),
        ("enum E { E_A = 0; E_B = 3; reserved 3; }", 3, 19, "reserved by 'reserved'"),
        ("enum E { E_A = 0; E_B = 1; reserved \"E_B\"; }", 3, 19, "enum value name 'E_B' is reserved"),
        // Names.
        ("message A { int32 a = 1; string a = 2; }", 3, 33, "'p.A.a' is already defined as a field at 3:19"),
        ("message A { message B {} enum B { X = 0; } }", 3, 31, "'p.A.B' is already defined as a message"),
        ("message A { int32 B = 1; message B {} }", 3, 34, "already defined as a field"),
        ("enum E { UNKNOWN = 0; } enum F { UNKNOWN = 0; }", 3, 34, "C++ scoping"),
        ("message A {} message A {}", 3, 22, "'p.A' is already defined"),
        ("message A { int32 foo_bar = 1; int32 fooBar = 2; }", 3, 38, "JSON name 'fooBar'"),
        ("message A { int32 a = 1; int32 b = 2 [json_name = \"a\"]; }", 3, 32, "JSON name 'a'"),
        ("service S { rpc M (A) returns (A); rpc M (A) returns (A); } message A {}", 3, 40, "'p.S.M' is already defined as a method"),
        // Enums.
        ("enum E { E_A = 1; }", 3, 10, "first value of enum 'p.E' must be 0"),
        ("enum E { E_A = 0; E_B = 0; }", 3, 19, "set 'option allow_alias = true;'"),
        ("enum E { option allow_alias = true; E_A = 0; E_B = 1; }", 3, 6, "has no values sharing a number"),
        ("enum E { E_A = 0; E_B = 2147483648; }", 3, 19, "32-bit"),
        ("enum E { }", 3, 6, "at least one value"),
        ("enum E { fooBar = 0; FOO_BAR = 1; }", 3, 22, "both map to the Swift name 'fooBar'"),
        // Maps.
        ("message A { map<float, int32> m = 1; }", 3, 13, "invalid map key type 'float'"),
        ("message A { map<bytes, int32> m = 1; }", 3, 13, "invalid map key type 'bytes'"),
        ("message A { map<A, int32> m = 1; }", 3, 13, "not a message or enum"),
        ("message A { map<string, map<string, int32>> m = 1; }", 3, 13, "cannot be another map"),
        ("message A { repeated map<string, int32> m = 1; }", 3, 41, "cannot be 'repeated'"),
        // Oneofs.
        ("message A { oneof o { repeated int32 x = 1; } }", 3, 38, "cannot be 'repeated'"),
        ("message A { oneof o { optional int32 x = 1; } }", 3, 38, "cannot be 'optional'"),
        ("message A { oneof o { map<string, int32> m = 1; } }", 3, 23, "map fields are not allowed in oneofs"),
        ("message A { oneof o { } }", 3, 19, "must have at least one field"),
        // Types.
        ("message A { Missing m = 1; }", 3, 13, "unknown type 'Missing'"),
        ("message A { B.C m = 1; message B {} }", 3, 13, "'B.C' is resolved to 'p.A.B.C', which is not defined"),
        ("message A { int32 f = 1; } message B { A.f x = 1; }", 3, 40, "not a message or enum type"),
        ("enum E { E_A = 0; } service S { rpc M (E) returns (E); }", 3, 40, "request type 'E' of method 'M' is the enum 'p.E'"),
        ("message A {} enum E { E_A = 0; } service S { rpc M (A) returns (E); }", 3, 65, "response type 'E'"),
        // Options.
        ("message A { int32 a = 1 [packd = true]; }", 3, 26, "unknown field option 'packd'"),
        ("message A { int32 a = 1 [packed = true]; }", 3, 19, "[packed = ...] can only be specified for repeated"),
        ("message A { repeated string a = 1 [packed = true]; }", 3, 29, "[packed = ...]"),
        ("message A { int32 a = 1 [default = 5]; }", 3, 26, "explicit default values are not allowed in proto3"),
        ("message A { int32 a = 1 [deprecated = 1]; }", 3, 39, "must be true or false"),
        ("option optimize_for = FAST;", 3, 23, "must be one of CODE_SIZE, LITE_RUNTIME, SPEED"),
        ("option java_package = \"a\"; option java_package = \"b\";", 3, 35, "already set"),
        ("message A { option map_entry = true; }", 3, 20, "map_entry"),
        ("enum E { option allow_alias = \"yes\"; E_A = 0; }", 3, 31, "must be true or false"),
    ])
    func rejectsInvalidSchemas(body: String, line: Int, column: Int, expected: String) {
        let error = ProtoSources.error("syntax = \"proto3\";\npackage p;\n" + body)
        #expect(error?.file == "test.proto")
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.column == column, "\(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
    }

    @Test func acceptsAliasesCustomOptionsAndEdgeNumbers() throws {
        let model = try ProtoSources.compile("""
            syntax = "proto3";
            package p;
            option (my.file_option) = { a: 1 };
            enum E {
              option allow_alias = true;
              E_UNSPECIFIED = 0;
              E_DEFAULT = 0;
              E_NEGATIVE = -2147483648;
            }
            message A {
              reserved 2, 15 to 18;
              int32 one = 1 [(validate.rules).int32 = { gt: 0 }];
              int32 biggest = 536870911;
              int32 just_below = 18999;
              int32 just_above = 20000;
            }
            """)
        #expect(model.enums[0].values.map(\.number) == [0, 0, Int32.min])
        #expect(model.messages[0].fields.map(\.number) == [1, 536_870_911, 18_999, 20_000])
    }

    @Test func importedFilesAreCheckedToo() {
        let error = ProtoSources.error([
            "main.proto": "syntax = \"proto3\";\nimport \"dep.proto\";\n",
            "dep.proto": "syntax = \"proto3\";\nmessage D { int32 x = 1; int32 y = 1; }\n",
        ], requesting: "main.proto")
        #expect(error?.file == "dep.proto")
        #expect(error?.line == 2)
        #expect(error?.message.contains("already used") == true)
    }
}
