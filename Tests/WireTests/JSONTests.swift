import Foundation
import Testing
import Wire

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#" { "a" : [1, -2.5e3, 0, true, false, null, "x\u00e9\n"], "b": {} } "#)
        let expected = JSONValue.object(JSONObject(members: [
            ("a", .array([.number("1"), .number("-2.5e3"), .number("0"), .bool(true), .bool(false), .null, .string("xé\n")])),
            ("b", .object(JSONObject())),
        ]))
        #expect(value == expected)
    }

    @Test func numbersKeepTheirLiteralText() throws {
        #expect(try JSONParser.parse("18446744073709551615") == .number("18446744073709551615"))
        #expect(try JSONParser.parse("-0.000001E+10") == .number("-0.000001E+10"))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "[,1]", #"{"a":1,}"#, #"{"a"}"#, #"{"a" 1}"#, "{'a':1}", "01", "1.", ".5", "+1", "-",
        "1e", "1e+", "tru", "nul", "NaN", "Infinity", #""\x""#, "\"a\nb\"", "\"a\tb\"", #""abc"#, "[1] x", "[1]]", #""\u12""#,
        #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#,
    ])
    func rejectsInvalidDocuments(text: String) {
        #expect(throws: JSONMappingError.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsDuplicateKeys() throws {
        let error = try #require(throws: JSONMappingError.self) { try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#) }
        #expect(error.reason.contains("duplicate member \"a\""))
        // The same name in different objects is fine.
        #expect(throws: Never.self) { try JSONParser.parse(#"{"a":{"a":1},"b":{"a":2}}"#) }
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try JSONParser.parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        #expect(try JSONParser.parse("\"😀\"") == .string("😀"))
        #expect(try JSONParser.parse(#""\u0000""#) == .string("\u{0}"))
    }

    /// The limit counts levels below the root value, as the binary decoder's does.
    @Test func enforcesTheDepthLimit() {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(throws: Never.self) { try JSONParser.parse(nested(101)) }
        #expect(throws: JSONMappingError.self) { try JSONParser.parse(nested(102)) }
        #expect(throws: Never.self) { try JSONParser.parse(nested(4), maxDepth: 3) }
        #expect(throws: JSONMappingError.self) { try JSONParser.parse(nested(5), maxDepth: 3) }
        #expect(throws: JSONMappingError.self) { try JSONParser.parse(String(repeating: "{\"a\":", count: 200) + "1" + String(repeating: "}", count: 200)) }
    }
}

@Suite struct JSONWriterTests {
    private func text(_ write: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        write(&writer)
        return writer.text
    }

    @Test func escapesStrings() throws {
        let written = text { $0.writeString("q\"b\\s/n\nr\rt\tb\u{08}f\u{0C}\u{01}\u{1F}\u{7F}é😀\u{2028}") }
        #expect(written == #""q\"b\\s/n\nr\rt\tb\bf\f\u0001\u001f"# + "\u{7F}é😀\u{2028}\"")
        // Whatever the writer escapes, the parser reads back.
        #expect(try JSONParser.parse(written) == .string("q\"b\\s/n\nr\rt\tb\u{08}f\u{0C}\u{01}\u{1F}\u{7F}é😀\u{2028}"))
    }

    @Test func writesNumbers() {
        #expect(text { $0.writeDouble(1) } == "1")
        #expect(text { $0.writeDouble(-0.5) } == "-0.5")
        #expect(text { $0.writeDouble(0.1) } == "0.1")
        #expect(text { $0.writeDouble(1e300) } == "1e+300")
        #expect(text { $0.writeDouble(.nan) } == #""NaN""#)
        #expect(text { $0.writeDouble(.infinity) } == #""Infinity""#)
        #expect(text { $0.writeDouble(-.infinity) } == #""-Infinity""#)
        #expect(text { $0.writeFloat(0.1) } == "0.1")
        #expect(text { $0.writeNumber(Int32.min) } == "-2147483648")
        #expect(text { $0.writeQuotedNumber(UInt64.max) } == #""18446744073709551615""#)
        #expect(text { $0.writeBytes(Data([0xFB, 0xFF])) } == #""+/8=""#)
    }

    @Test func separatesMembersAndElements() {
        let written = text { json in
            json.beginObject()
            json.key("a"); json.beginArray()
            json.element(); json.writeNumber(1)
            json.element(); json.beginObject(); json.endObject()
            json.element(); json.writeNull()
            json.endArray()
            json.key("b"); json.writeBool(false)
            json.endObject()
        }
        #expect(written == #"{"a":[1,{},null],"b":false}"#)
    }
}

@Suite struct JSONValueConversionTests {
    let path = JSONPath(root: "test.Outer").appending("field")

    @Test func int64AcceptsStringsAndNumbers() throws {
        #expect(try JSONValue.string("9223372036854775807").int64(at: path) == Int64.max)
        #expect(try JSONValue.number("-9223372036854775808").int64(at: path) == Int64.min)
        #expect(try JSONValue.string("18446744073709551615").uint64(at: path) == UInt64.max)
        #expect(try JSONValue.number("1e2").int64(at: path) == 100)
        #expect(try JSONValue.number("5.0").int32(at: path) == 5)
    }

    @Test(arguments: [
        JSONValue.number("2147483648"), .number("-2147483649"), .string("2147483648"), .number("1.5"), .number("1e10"),
        .string("abc"), .string(""), .string("0x10"), .bool(true), .null, .array([]),
    ])
    func int32RejectsOutOfRangeAndNonIntegers(value: JSONValue) throws {
        let error = try #require(throws: JSONMappingError.self) { try value.int32(at: path) }
        #expect(error.path == path)
        #expect(error.description.hasPrefix("test.Outer.field: "))
    }

    @Test func uint64RejectsNegativeValues() {
        #expect(throws: JSONMappingError.self) { try JSONValue.number("-1").uint64(at: path) }
        #expect(throws: JSONMappingError.self) { try JSONValue.string("18446744073709551616").uint64(at: path) }
    }

    @Test func floatingPointSpecialValuesAreStrings() throws {
        #expect(try JSONValue.string("NaN").double(at: path).isNaN)
        #expect(try JSONValue.string("Infinity").double(at: path) == .infinity)
        #expect(try JSONValue.string("-Infinity").float(at: path) == -.infinity)
        #expect(try JSONValue.string("2.5").double(at: path) == 2.5)
        #expect(try JSONValue.number("-1E-2").double(at: path) == -0.01)
        for invalid: JSONValue in [.number("1e400"), .string("1e400"), .string("nan"), .string("inf"), .string("0x1p3"), .string(" 1"), .bool(false)] {
            #expect(throws: JSONMappingError.self, "\(invalid)") { try invalid.double(at: path) }
        }
        #expect(throws: JSONMappingError.self) { try JSONValue.number("1e39").float(at: path) }
    }

    @Test func bytesAcceptStandardAndURLSafeBase64WithOrWithoutPadding() throws {
        for text in ["+/8=", "+/8", "-_8=", "-_8"] {
            #expect(try JSONValue.string(text).bytes(at: path) == Data([0xFB, 0xFF]), "\(text)")
        }
        #expect(try JSONValue.string("YQ").bytes(at: path) == Data("a".utf8))
        #expect(try JSONValue.string("").bytes(at: path) == Data())
        for text in ["Y", "!!!!", "Y Q="] {
            #expect(throws: JSONMappingError.self, "\(text)") { try JSONValue.string(text).bytes(at: path) }
        }
        for text in ["YQ=a", "Y===", "YQ==YQ=="] {
            #expect(throws: JSONMappingError.self, "padding inside \(text)") { try JSONValue.string(text).bytes(at: path) }
        }
    }

    @Test func enumsAcceptNamesAndNumbers() throws {
        #expect(try JSONValue.string("KIND_LEAF").enumValue(at: path, as: Test_Kind.self) == .leaf)
        #expect(try JSONValue.number("1").enumValue(at: path, as: Test_Kind.self) == .leaf)
        #expect(try JSONValue.number("7").enumValue(at: path, as: Test_Kind.self) == .UNRECOGNIZED(7))
        #expect(throws: JSONMappingError.self) { try JSONValue.string("KIND_OTHER").enumValue(at: path, as: Test_Kind.self) }
        #expect(throws: JSONMappingError.self) { try JSONValue.bool(true).enumValue(at: path, as: Test_Kind.self) }
    }

    @Test func mapKeys() throws {
        #expect(try JSONMapKey.bool("true", at: path) == true)
        #expect(try JSONMapKey.integer("-5", at: path, as: Int32.self) == -5)
        #expect(throws: JSONMappingError.self) { try JSONMapKey.bool("1", at: path) }
        #expect(throws: JSONMappingError.self) { try JSONMapKey.integer("4294967296", at: path, as: UInt32.self) }
    }
}

@Suite struct MessageJSONTests {
    @Test func writesCanonicalJSON() {
        var message = Test_Outer()
        message.id = UInt64.max
        message.name = "n\"x"
        message.payload = Data([1, 2, 3])
        message.inner = Test_Inner()
        message.values = [1, -2]
        message.counts = ["k": -3]
        message.delta = -4
        message.ratio = .nan
        message.kind = .leaf
        #expect(message.jsonString() == #"{"id":"18446744073709551615","name":"n\"x","payload":"AQID","inner":{},"values":[1,-2],"counts":{"k":"-3"},"delta":-4,"ratio":"NaN","kind":"KIND_LEAF"}"#)
        #expect(Test_Outer().jsonString() == "{}")
    }

    @Test func roundTripsThroughJSON() throws {
        let original = MessageCodecTests.sample()
        let decoded = try Test_Outer(jsonString: original.jsonString())
        #expect(decoded == original)
    }

    @Test func readsProtoNamesNullsAndNumbersAsStrings() throws {
        let message = try Test_Outer(jsonString: #"{"id":12,"name":null,"inner":{"name":"i","blob":"-_8"},"fixeds":["4",5],"kind":1,"child":null}"#)
        var expected = Test_Outer()
        expected.id = 12
        var inner = Test_Inner()
        inner.name = "i"
        inner.blob = Data([0xFB, 0xFF])
        expected.inner = inner
        expected.fixeds = [4, 5]
        expected.kind = .leaf
        #expect(message == expected)
    }

    @Test func errorsNameTheFieldPath() throws {
        let wrongType = try #require(throws: JSONMappingError.self) { try Test_Outer(jsonString: #"{"items":[{},{"name":5}]}"#) }
        #expect(wrongType.description == "test.Outer.items[1].name: expected a string, found a number")

        let badKey = try #require(throws: JSONMappingError.self) { try Test_Outer(jsonString: #"{"counts":{"k":"x"}}"#) }
        #expect(badKey.path?.description == #"test.Outer.counts["k"]"#)

        let unknown = try #require(throws: JSONMappingError.self) { try Test_Outer(jsonString: #"{"nope":1}"#) }
        #expect(unknown.reason.contains("unknown field \"nope\""))

        let notObject = try #require(throws: JSONMappingError.self) { try Test_Outer(jsonString: "[]") }
        #expect(notObject.path == JSONPath(root: "test.Outer"))
    }
}
