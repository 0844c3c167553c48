import Foundation
import LedgerCore
import Testing

/// Rich queries give the same keys on both implementations, for the edge cases of Mango semantics.
@Suite struct RichQueryConformanceTests {
    /// key → stored value; not every value is a JSON object.
    static let documents: [(String, String)] = [
        ("d01", #"{"owner":"alice","size":5,"done":true,"note":null,"patient":{"org":"h1","age":40}}"#),
        ("d02", #"{"owner":"bob","size":10.5,"done":false,"patient":{"org":"h2","age":"40"}}"#),
        ("d03", #"{"owner":"carol","size":"7","tags":["a","b"],"patient":"h1"}"#),
        ("d04", #"{"owner":"alice","size":-1,"note":"n","patient":{"org":{"id":"h1"}}}"#),
        ("d05", #"{"size":3,"a b":{"c":1},"dotted.key":2}"#),
        ("d06", #"[{"owner":"alice"}]"#),
        ("d07", #""alice""#),
        ("d08", #"not json {"#),
        ("d09", #"{"owner":"Émile","size":1e2,"done":"true"}"#),
        ("d10", #"{"owner":"alice","size":5.0,"nested":{"deep":{"x":[1]}}}"#),
        ("d11", ""),
        ("d12", #"{"owner":"","size":0,"note":false,"it's":"q"}"#),
        ("d13", #"{"owner":"a\u0000b","size":"a\u0000"}"#),
    ]

    static let cases: [(String, [String])] = [
        (#"{"owner":"alice"}"#, ["d01", "d04", "d10"]),
        (#"{"selector":{"owner":{"$eq":"alice"}}}"#, ["d01", "d04", "d10"]),
        (#"{"owner":{"$ne":"alice"}}"#, ["d02", "d03", "d09", "d12", "d13"]),
        (#"{"note":{"$ne":"n"}}"#, ["d01", "d12"]),
        (#"{"size":{"$gt":4}}"#, ["d01", "d02", "d09", "d10"]),
        (#"{"size":{"$gte":5,"$lt":100}}"#, ["d01", "d02", "d10"]),
        (#"{"size":{"$lte":5}}"#, ["d01", "d04", "d05", "d10", "d12"]),
        (#"{"size":{"$gt":"5"}}"#, ["d03", "d13"]),
        (#"{"size":{"$lt":"5"}}"#, []),
        (#"{"size":5}"#, ["d01", "d10"]),
        (#"{"size":100}"#, ["d09"]),
        (#"{"owner":{"$gt":"b"}}"#, ["d02", "d03", "d09"]),
        (#"{"owner":{"$lt":"b"}}"#, ["d01", "d04", "d10", "d12", "d13"]),
        (#"{"owner":{"$gt":true}}"#, []),
        (#"{"done":true}"#, ["d01"]),
        (#"{"done":{"$ne":true}}"#, ["d02", "d09"]),
        (#"{"done":{"$in":[true,false]}}"#, ["d01", "d02"]),
        (#"{"note":null}"#, ["d01"]),
        (#"{"note":{"$ne":null}}"#, ["d04", "d12"]),
        (#"{"note":{"$exists":true}}"#, ["d01", "d04", "d12"]),
        (#"{"note":{"$exists":false}}"#, ["d02", "d03", "d05", "d09", "d10", "d13"]),
        (#"{"patient.org":"h1"}"#, ["d01"]),
        (#"{"patient":{"org":"h2"}}"#, ["d02"]),
        (#"{"patient.age":40}"#, ["d01"]),
        (#"{"patient.org":{"$ne":"h1"}}"#, ["d02"]),
        (#"{"patient.org":{"$exists":true}}"#, ["d01", "d02", "d04"]),
        (#"{"patient.org.id":"h1"}"#, ["d04"]),
        (#"{"patient":{"$ne":"x"}}"#, ["d03"]),
        (#"{"tags":{"$ne":"a"}}"#, []),
        (#"{"nested.deep":{"$exists":true}}"#, ["d10"]),
        (#"{"nested.deep.x":{"$ne":1}}"#, []),
        (#"{"a b.c":1}"#, ["d05"]),
        (#"{"it's":"q"}"#, ["d12"]),
        (#"{"owner":{"$in":["bob","carol","zed"]}}"#, ["d02", "d03"]),
        (#"{"owner":{"$nin":["alice","bob"]}}"#, ["d03", "d09", "d12", "d13"]),
        (#"{"owner":{"$in":[]}}"#, []),
        (#"{"owner":{"$nin":[]}}"#, ["d01", "d02", "d03", "d04", "d09", "d10", "d12", "d13"]),
        (#"{"size":{"$in":[5,"7",null]}}"#, ["d01", "d03", "d10"]),
        (#"{"$and":[{"owner":"alice"},{"size":{"$gt":0}}]}"#, ["d01", "d10"]),
        (#"{"$or":[{"owner":"bob"},{"size":3},{"missing":1}]}"#, ["d02", "d05"]),
        (#"{"$not":{"owner":"alice"}}"#, ["d02", "d03", "d05", "d09", "d12", "d13"]),
        (#"{"$not":{"size":{"$ne":5}}}"#, ["d01", "d10"]),
        (#"{"$not":{"$or":[{"owner":"alice"},{"note":{"$exists":true}}]}}"#, ["d02", "d03", "d05", "d09", "d13"]),
        (#"{"owner":"Émile"}"#, ["d09"]),
        (#"{"owner":""}"#, ["d12"]),
        (#"{"owner":"a\u0000b"}"#, ["d13"]),
        (#"{"size":{"$gt":"a"}}"#, ["d13"]),
        (#"{}"#, ["d01", "d02", "d03", "d04", "d05", "d09", "d10", "d12", "d13"]),
    ]

    static func loaded(_ backend: Backend) throws -> Subject {
        let subject = try Subject(backend)
        let writes = documents.enumerated().map { put("ns", $0.element.0, $0.element.1, block: 0, tx: UInt64($0.offset)) }
        try subject.state.apply(StateUpdate(blockNumber: 0, writes: writes + [put("other", "d01", documents[0].1, block: 0, tx: 50)]))
        return subject
    }

    @Test(arguments: Backend.allCases)
    func selectorsMatchTheExpectedKeys(_ backend: Backend) throws {
        let subject = try Self.loaded(backend)
        for (selector, expected) in Self.cases {
            let query = try RichQuery(json: Data(selector.utf8))
            let found = try subject.state.query(namespace: "ns", query, after: "", limit: 100).map(\.key)
            #expect(found == expected, "\(selector)")
        }
    }

    @Test(arguments: Backend.allCases)
    func bookmarkPagingVisitsEveryMatchOnce(_ backend: Backend) throws {
        let subject = try Self.loaded(backend)
        let query = try RichQuery(json: Data(#"{"owner":{"$exists":true}}"#.utf8))
        var pages: [[String]] = []
        var bookmark = ""
        while true {
            let page = try subject.state.query(namespace: "ns", query, after: bookmark, limit: 3).map(\.key)
            if page.isEmpty { break }
            pages.append(page)
            bookmark = page.last!
        }
        #expect(pages == [["d01", "d02", "d03"], ["d04", "d09", "d10"], ["d12", "d13"]])
        #expect(try subject.state.query(namespace: "ns", query, after: "d015", limit: 1).map(\.key) == ["d02"])
        #expect(try subject.state.query(namespace: "ns", query, after: "", limit: 0).isEmpty)
        let entry = try #require(try subject.state.query(namespace: "other", query, after: "", limit: 5).first)
        #expect(entry.key == "d01" && entry.version == version(0, 50))
    }
}
