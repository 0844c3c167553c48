import Foundation
import LedgerCore
@testable import LedgerStore
import MedLedgerTesting
import Schema
import Testing

/// Random blocks of puts and deletes, applied to both implementations, give identical answers.
@Suite struct RandomizedEquivalenceTests {
    static let keys = ["", "a", "a\u{0}", "ab", "b", "é", "Z", "z", "\u{1F600}", "k1", "k10", "k2"]
    static let values = [#"{"n":1}"#, #"{"n":"1"}"#, #"{"n":null}"#, #"{"m":{"n":2}}"#, "[1]", "plain", "", #"{"n":2.5,"s":"é"}"#]

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomUpdatesGiveIdenticalAnswers(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let reference = InMemoryState()
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory, durability: .normal)
        for number: UInt64 in 0..<40 {
            var update = StateUpdate(blockNumber: number)
            for tx in 0..<UInt64.random(in: 0...8, using: &random) {
                let namespace = ["a", "b", "c"].randomElement(using: &random)!
                let key = Self.keys.randomElement(using: &random)!
                let value = Bool.random(using: &random) && number > 3 ? nil : Self.values.randomElement(using: &random)!
                update.writes.append(put(namespace, key, value, block: number, tx: tx, txID: "t\(UInt64.random(in: 0..<60, using: &random))"))
                update.transactions.append(.init(txID: update.writes.last!.txID, location: location(number, tx)))
            }
            try reference.apply(update)
            try store.apply(update)
        }
        #expect(try store.allState() == allState(of: reference))
        let queries = [#"{"n":{"$exists":true}}"#, #"{"n":{"$ne":1}}"#, #"{"m.n":{"$gte":2}}"#, #"{"$not":{"n":"1"}}"#]
        for namespace in ["a", "b", "c"] {
            for _ in 0..<10 {
                let start = Self.keys.randomElement(using: &random)!, end = Self.keys.randomElement(using: &random)!
                let limit = Int.random(in: 0...12, using: &random)
                #expect(try store.range(namespace: namespace, start: start, end: end, limit: limit)
                    == reference.range(namespace: namespace, start: start, end: end, limit: limit))
            }
            for key in Self.keys {
                #expect(try store.history(namespace: namespace, key: key) == reference.history(namespace: namespace, key: key))
            }
            for selector in queries {
                let query = try RichQuery(json: Data(selector.utf8))
                let bookmark = Self.keys.randomElement(using: &random)!
                #expect(try store.query(namespace: namespace, query, after: bookmark, limit: 5)
                    == reference.query(namespace: namespace, query, after: bookmark, limit: 5))
            }
        }
        for id in 0..<60 {
            #expect(try store.transaction("t\(id)") == reference.transaction("t\(id)"))
        }
        #expect(try store.lastAppliedBlock() == reference.lastAppliedBlock())
    }
}
