import Foundation
import LedgerCore
import Testing
@testable import LedgerStore

@Suite struct SnapshotAndIndexTests {
    @Test func aSnapshotKeepsItsViewWhileBlocksAreApplied() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory, durability: .normal)
        try store.apply(StateUpdate(blockNumber: 0, writes: [put("ns", "a", "old", block: 0)]))
        let seen = try store.withSnapshot { snapshot in
            let before = try snapshot.get(namespace: "ns", key: "a")?.value
            try store.apply(StateUpdate(blockNumber: 1, writes: [put("ns", "a", "new", block: 1)]))
            return (before, try snapshot.get(namespace: "ns", key: "a")?.value, try snapshot.lastAppliedBlock())
        }
        #expect(seen.0 == Data("old".utf8) && seen.1 == Data("old".utf8) && seen.2 == 0)
        #expect(try store.get(namespace: "ns", key: "a")?.value == Data("new".utf8))
    }

    @Test func aDeclaredIndexIsUsedAndKeepsAnswersAndNonJSONWrites() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory, durability: .normal)
        try store.declareIndex(namespace: "ehr", field: "patient.org")
        try store.declareIndex(namespace: "ehr", field: "patient.org")
        for field in ["", "a..b", "a b", "x'); DROP TABLE state; --", "é"] {
            #expect(throws: LedgerError.self) { try store.declareIndex(namespace: "ehr", field: field) }
        }
        try store.apply(StateUpdate(blockNumber: 0, writes: [
            put("ehr", "r1", #"{"patient":{"org":"h1"}}"#, block: 0),
            put("ehr", "r2", "not json", block: 0, tx: 1),
            put("ehr", "r3", #"{"patient":{"org":"h2"}}"#, block: 0, tx: 2),
            put("other", "r1", #"{"patient":{"org":"h1"}}"#, block: 0, tx: 3),
        ]))
        let query = try RichQuery(json: Data(#"{"patient.org":"h1"}"#.utf8))
        #expect(try store.query(namespace: "ehr", query, after: "", limit: 10).map(\.key) == ["r1"])
        #expect(try store.query(namespace: "other", query, after: "", limit: 10).map(\.key) == ["r1"])
        let plan = try store.queryPlan(namespace: "ehr", query)
        #expect(plan.contains("state_json_patient_org"), "\(plan)")
    }
}
