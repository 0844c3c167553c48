import Foundation
import LedgerCore
import Schema
import Testing

/// The same cases against `InMemoryState` (the reference) and the SQLite store.
@Suite struct StateConformanceTests {
    @Test(arguments: Backend.allCases)
    func putGetDeleteAndVersions(_ backend: Backend) throws {
        let subject = try Subject(backend)
        let state = subject.state
        #expect(try state.lastAppliedBlock() == nil)
        #expect(try state.get(namespace: "ns", key: "a") == nil)
        try state.apply(StateUpdate(blockNumber: 0, writes: [put("ns", "a", "1", block: 0), put("ns", "b", "", block: 0, tx: 1)]))
        #expect(try state.get(namespace: "ns", key: "a") == VersionedValue(value: Data("1".utf8), version: version(0, 0)))
        #expect(try state.get(namespace: "ns", key: "b") == VersionedValue(value: Data(), version: version(0, 1)))
        #expect(try state.get(namespace: "other", key: "a") == nil)
        try state.apply(StateUpdate(blockNumber: 1, writes: [put("ns", "a", "2", block: 1, tx: 3), put("ns", "b", nil, block: 1, tx: 4)]))
        #expect(try state.get(namespace: "ns", key: "a") == VersionedValue(value: Data("2".utf8), version: version(1, 3)))
        #expect(try state.get(namespace: "ns", key: "b") == nil)
        #expect(try state.lastAppliedBlock() == 1)
    }

    @Test(arguments: Backend.allCases)
    func laterWriteOfTheSameKeyInABlockWins(_ backend: Backend) throws {
        let state = try Subject(backend).state
        try state.apply(StateUpdate(blockNumber: 0, writes: [put("ns", "a", "first", block: 0), put("ns", "a", "second", block: 0, tx: 1)]))
        #expect(try state.get(namespace: "ns", key: "a")?.value == Data("second".utf8))
        #expect(try state.history(namespace: "ns", key: "a").map(\.txID) == ["tx-0-0", "tx-0-1"])
    }

    static let byteOrderKeys = ["a", "a\u{0}", "b", "é", "Z", "", "a\u{0}b", "ab", "\u{1F600}", "z"]

    @Test(arguments: Backend.allCases)
    func rangeFollowsUTF8ByteOrderWithBoundsAndLimits(_ backend: Backend) throws {
        let state = try Subject(backend).state
        let writes = Self.byteOrderKeys.enumerated().map { put("ns", $0.element, "v\($0.offset)", block: 0, tx: UInt64($0.offset)) }
        try state.apply(StateUpdate(blockNumber: 0, writes: writes + [put("other", "a", "x", block: 0, tx: 99)]))
        let keys = { (start: String, end: String, limit: Int) in
            try state.range(namespace: "ns", start: start, end: end, limit: limit).map(\.key)
        }
        #expect(try keys("", "", 100) == ["", "Z", "a", "a\u{0}", "a\u{0}b", "ab", "b", "z", "é", "\u{1F600}"])
        #expect(try keys("a", "b", 100) == ["a", "a\u{0}", "a\u{0}b", "ab"])
        #expect(try keys("a\u{0}", "ab", 100) == ["a\u{0}", "a\u{0}b"])
        #expect(try keys("b", "", 100) == ["b", "z", "é", "\u{1F600}"])
        #expect(try keys("", "", 3) == ["", "Z", "a"])
        #expect(try keys("", "", 0) == [])
        #expect(try keys("zz", "", 10) == ["é", "\u{1F600}"])
        #expect(try keys("c", "c", 10) == [])
        let entry = try #require(try state.range(namespace: "ns", start: "é", end: "", limit: 1).first)
        #expect(entry.value == Data("v3".utf8))
        #expect(entry.version == version(0, 3))
    }

    @Test(arguments: Backend.allCases)
    func historyIsOldestFirstAndRecordsDeletes(_ backend: Backend) throws {
        let state = try Subject(backend).state
        try state.apply(StateUpdate(blockNumber: 0, writes: [put("ns", "a", "1", block: 0)]))
        try state.apply(StateUpdate(blockNumber: 1, writes: [put("ns", "a", nil, block: 1, tx: 2)]))
        try state.apply(StateUpdate(blockNumber: 2, writes: [put("ns", "a", "3", block: 2, tx: 1), put("ns", "b", "x", block: 2)]))
        let history = try state.history(namespace: "ns", key: "a")
        #expect(history.map(\.txID) == ["tx-0-0", "tx-1-2", "tx-2-1"])
        #expect(history.map(\.isDelete) == [false, true, false])
        #expect(history.map(\.value) == [Data("1".utf8), Data(), Data("3".utf8)])
        #expect(history.map(\.version) == [version(0, 0), version(1, 2), version(2, 1)])
        #expect(history[1].timestamp == timestamp(1_700_000_001, 2))
        #expect(try state.history(namespace: "ns", key: "missing").isEmpty)
        #expect(try state.history(namespace: "other", key: "a").isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func transactionIndexKeepsTheFirstLocation(_ backend: Backend) throws {
        let state = try Subject(backend).state
        try state.apply(StateUpdate(blockNumber: 0, transactions: [.init(txID: "t1", location: location(0, 0, .mvccReadConflict))]))
        try state.apply(StateUpdate(blockNumber: 1, transactions: [
            .init(txID: "t1", location: location(1, 0)), .init(txID: "t2", location: location(1, 1)),
        ]))
        #expect(try state.transaction("t1") == location(0, 0, .mvccReadConflict))
        #expect(try state.transaction("t2") == location(1, 1))
        #expect(try state.transaction("t3") == nil)
    }

    @Test(arguments: Backend.allCases)
    func outOfOrderUpdatesAreRejectedAndWriteNothing(_ backend: Backend) throws {
        let state = try Subject(backend).state
        #expect(throws: LedgerError.outOfOrderUpdate(expected: 0, got: 1)) {
            try state.apply(StateUpdate(blockNumber: 1, writes: [put("ns", "a", "x", block: 1)]))
        }
        try state.apply(StateUpdate(blockNumber: 0))
        for number: UInt64 in [0, 2] {
            #expect(throws: LedgerError.outOfOrderUpdate(expected: 1, got: number)) {
                try state.apply(StateUpdate(
                    blockNumber: number, writes: [put("ns", "a", "x", block: number)],
                    transactions: [.init(txID: "t", location: location(number, 0))]
                ))
            }
        }
        #expect(try state.get(namespace: "ns", key: "a") == nil)
        #expect(try state.history(namespace: "ns", key: "a").isEmpty)
        #expect(try state.transaction("t") == nil)
        #expect(try state.lastAppliedBlock() == 0)
    }
}
