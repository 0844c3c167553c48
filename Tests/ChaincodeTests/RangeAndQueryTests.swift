import Chaincode
import Foundation
import LedgerCore
import Schema
import Testing

@Suite("Ranges, composite keys and rich queries")
struct RangeAndQueryTests {
    let state = InMemoryState()

    init() throws {
        try state.seed("script", [
            "k1": #"{"owner":"ann"}"#, "k2": #"{"owner":"ben"}"#, "k3": #"{"owner":"ann"}"#,
            "k4": "plain", "k5": #"{"owner":"ann"}"#,
            "\u{0}color\u{0}blue\u{0}x\u{0}": "bx", "\u{0}color\u{0}blue\u{0}y\u{0}": "by",
            "\u{0}color\u{0}red\u{0}z\u{0}": "rz", "\u{0}colour\u{0}blue\u{0}w\u{0}": "other type",
        ])
    }

    func run(_ body: @escaping ContractFunction) throws -> SimulationResult {
        let dispatcher = try ChaincodeDispatcher(contracts: [ScriptedContract(["Run": body])])
        return try dispatcher.simulate(proposal: proposal("script", "Run"), creator: TestIdentities.hospitalA, state: state)
    }

    @Test("A whole range records every key and version and is exhausted")
    func wholeRange() throws {
        let result = try run { stub in
            let page = try stub.getStateByRange(start: "k2", end: "k4")
            #expect(page.entries.map(\.key) == ["k2", "k3"])
            #expect(page.nextBookmark == "")
            return .success()
        }
        let range = try #require(result.readWriteSet?.rangeQueries.first)
        #expect(range.startKey == "k2")
        #expect(range.endKey == "k4")
        #expect(range.itrExhausted)
        #expect(range.reads.map(\.key) == ["k2", "k3"])
        #expect(range.reads.map(\.version) == [version(0, 5), version(0, 6)])
        #expect(result.readWriteSet?.reads.isEmpty == true)
    }

    @Test("An open range covers simple keys only, never composite keys")
    func openRange() throws {
        let result = try run { stub throws in
            #expect(try stub.getStateByRange(start: "", end: "").entries.map(\.key) == ["k1", "k2", "k3", "k4", "k5"])
            return .success()
        }
        let range = try #require(result.readWriteSet?.rangeQueries.first)
        #expect(range.startKey == "\u{1}")
        #expect(range.endKey == "")
        #expect(range.itrExhausted)
    }

    @Test("Pages record only what they returned: a cut-short page ends after its last key, not exhausted")
    func pagedRange() throws {
        let result = try run { stub in
            let first = try stub.getStateByRange(start: "k1", end: "k9", pageSize: 2)
            #expect(first.entries.map(\.key) == ["k1", "k2"])
            #expect(first.nextBookmark == "k3")
            let second = try stub.getStateByRange(start: "k1", end: "k9", pageSize: 2, bookmark: first.nextBookmark)
            #expect(second.entries.map(\.key) == ["k3", "k4"])
            let last = try stub.getStateByRange(start: "k1", end: "k9", pageSize: 2, bookmark: second.nextBookmark)
            #expect(last.entries.map(\.key) == ["k5"])
            #expect(last.nextBookmark == "")
            return .success()
        }
        let ranges = try #require(result.readWriteSet).rangeQueries
        #expect(ranges.map(\.startKey) == ["k1", "k3", "k5"])
        #expect(ranges.map(\.endKey) == ["k2\u{0}", "k4\u{0}", "k9"])
        #expect(ranges.map(\.itrExhausted) == [false, false, true])
        #expect(ranges.map { $0.reads.map(\.key) } == [["k1", "k2"], ["k3", "k4"], ["k5"]])
    }

    @Test("A page that happens to reach the end of the range is exhausted")
    func exactPage() throws {
        let result = try run { stub in
            let page = try stub.getStateByRange(start: "k4", end: "", pageSize: 2)
            #expect(page.entries.map(\.key) == ["k4", "k5"])
            #expect(page.nextBookmark == "")
            return .success()
        }
        let range = try #require(result.readWriteSet?.rangeQueries.first)
        #expect(range.itrExhausted)
        #expect(range.endKey == "")
    }

    @Test("Range arguments are checked")
    func rangeArguments() throws {
        let result = try run { stub in
            #expect(throws: ChaincodeError.self) { try stub.getStateByRange(start: "\u{0}color", end: "") }
            #expect(throws: ChaincodeError.self) { try stub.getStateByRange(start: "k1", end: "k3", pageSize: -1) }
            #expect(throws: ChaincodeError.self) { try stub.getStateByRange(start: "k1", end: "k3", pageSize: 1, bookmark: "k0") }
            return .success()
        }
        #expect(result.readWriteSet == nil)
    }

    @Test("Composite keys round-trip and use U+0000 separators")
    func compositeRoundTrip() throws {
        _ = try run { stub in
            let key = try stub.createCompositeKey(objectType: "color", attributes: ["blue", "", "ü"])
            #expect(key == "\u{0}color\u{0}blue\u{0}\u{0}ü\u{0}")
            let parts = try stub.splitCompositeKey(key)
            #expect(parts.objectType == "color")
            #expect(parts.attributes == ["blue", "", "ü"])
            #expect(try stub.splitCompositeKey(try stub.createCompositeKey(objectType: "t", attributes: [])).attributes == [])
            #expect(throws: ChaincodeError.self) { try stub.createCompositeKey(objectType: "", attributes: ["a"]) }
            #expect(throws: ChaincodeError.self) { try stub.createCompositeKey(objectType: "t", attributes: ["a\u{0}b"]) }
            #expect(throws: ChaincodeError.self) { try stub.createCompositeKey(objectType: "t", attributes: ["\u{10FFFF}"]) }
            #expect(throws: ChaincodeError.self) { try stub.createCompositeKey(objectType: "t\u{10FFFF}x", attributes: []) }
            // Scalars whose UTF-8 shares bytes with U+10FFFF's (F4 8F BF BF) are ordinary attributes.
            let neighbours = ["\u{10FFFE}", "\u{10FFFD}\u{10FFFE}", "日本😀", "\u{100000}"]
            let wide = try stub.createCompositeKey(objectType: "ẞ", attributes: neighbours)
            #expect(try stub.splitCompositeKey(wide).objectType == "ẞ")
            #expect(try stub.splitCompositeKey(wide).attributes == neighbours)
            #expect(throws: ChaincodeError.self) { try stub.splitCompositeKey("simple") }
            return .success()
        }
    }

    @Test("A partial composite key scans exactly the keys it prefixes, recorded as a range")
    func partialCompositeKey() throws {
        let result = try run { stub in
            let blue = try stub.getStateByPartialCompositeKey(objectType: "color", attributes: ["blue"])
            #expect(blue.entries.map(\.value) == [bytes("bx"), bytes("by")])
            let colors = try stub.getStateByPartialCompositeKey(objectType: "color", attributes: [])
            #expect(colors.entries.map(\.value) == [bytes("bx"), bytes("by"), bytes("rz")])
            let paged = try stub.getStateByPartialCompositeKey(objectType: "color", attributes: [], pageSize: 1, bookmark: "\u{0}color\u{0}blue\u{0}y\u{0}")
            #expect(paged.entries.map(\.value) == [bytes("by")])
            #expect(paged.nextBookmark == "\u{0}color\u{0}red\u{0}z\u{0}")
            #expect(try stub.getState("\u{0}color\u{0}red\u{0}z\u{0}") == bytes("rz"))
            return .success()
        }
        let ranges = try #require(result.readWriteSet).rangeQueries
        #expect(ranges[0].startKey == "\u{0}color\u{0}blue\u{0}")
        #expect(ranges[0].endKey == "\u{0}color\u{0}blue\u{0}\u{10FFFF}")
        #expect(ranges[0].itrExhausted)
        #expect(ranges[1].reads.count == 3)
        #expect(ranges[2].itrExhausted == false)
        #expect(result.readWriteSet?.reads.map(\.key) == ["\u{0}color\u{0}red\u{0}z\u{0}"])
    }

    @Test("Rich queries page through matches and are not recorded")
    func richQuery() throws {
        let result = try run { stub in
            let all = try stub.getQueryResult(#"{"selector":{"owner":"ann"}}"#)
            #expect(all.entries.map(\.key) == ["k1", "k3", "k5"])
            let first = try stub.getQueryResult(#"{"selector":{"owner":"ann"}}"#, pageSize: 2)
            #expect(first.entries.map(\.key) == ["k1", "k3"])
            let rest = try stub.getQueryResult(#"{"selector":{"owner":"ann"}}"#, pageSize: 2, bookmark: first.nextBookmark)
            #expect(rest.entries.map(\.key) == ["k5"])
            #expect(rest.nextBookmark == "")
            #expect(throws: ChaincodeError.self) { try stub.getQueryResult(#"{"selector":{"owner":{"$regex":"a"}}}"#) }
            return .success()
        }
        #expect(result.readWriteSet == nil)
    }
}
