import Foundation
import LedgerCore
import Schema
import Testing
import Wire
@testable import LedgerStore

@Suite struct RecoveryTests {
    @Test func replayAppliesTheBlocksStateHasNotSeen() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let reference = InMemoryState()
        do {
            let store = try LedgerStore(directory: directory)
            for number: UInt64 in 0..<5 {
                let block = makeBlock(number, transactions: Int(number) + 1)
                try store.blocks.append(block)
                try reference.apply(derive(block))
                if number < 2 { try store.apply(derive(block)) }
            }
            #expect(try store.lastAppliedBlock() == 1)
        }
        let store = try LedgerStore(directory: directory)
        #expect(try store.lastAppliedBlock() == 1)
        #expect(try store.replay(derive: derive) == 3)
        #expect(try store.replay(derive: derive) == 0)
        #expect(try store.lastAppliedBlock() == 4)
        #expect(try store.allState() == allState(of: reference))
        #expect(try store.history(namespace: "ns", key: "k0") == reference.history(namespace: "ns", key: "k0"))
        #expect(try store.transaction("tx-3-2") == location(3, 2))

        let rebuilt = InMemoryState()
        #expect(try store.rebuild(into: rebuilt, derive: derive) == 5)
        #expect(try store.allState() == allState(of: rebuilt))
    }

    @Test func stateAheadOfTheBlockStoreIsDiscardedAndRebuiltFromTheBlocks() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let store = try LedgerStore(directory: directory)
            try store.commit(makeBlock(0), update: derive(makeBlock(0)))
            try store.apply(derive(makeBlock(1)))
            #expect(store.discardedState == nil)
        }
        let reopened = try LedgerStore(directory: directory)
        #expect(reopened.discardedState?.applied == 1 && reopened.discardedState?.height == 1)
        #expect(try reopened.lastAppliedBlock() == nil)
        #expect(try reopened.replay(derive: derive) == 1)
        let reference = InMemoryState()
        try reference.apply(derive(makeBlock(0)))
        #expect(try reopened.allState() == allState(of: reference))
    }

    @Test func committingABlockAlreadyAppendedOnlyAppliesItsStateAndADifferentOneIsRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory)
        try store.commit(makeBlock(0), update: derive(makeBlock(0)))
        // As after a state update that failed (a full disk) once the block was appended.
        try store.blocks.append(makeBlock(1))
        try store.commit(makeBlock(1), update: derive(makeBlock(1)))
        #expect(try store.blocks.height() == 2)
        #expect(try store.lastAppliedBlock() == 1)
        var other = makeBlock(1)
        other.metadata = Medledger_V1_BlockMetadata()
        other.metadata?.commitHash = Data([1, 2, 3])
        #expect(throws: LedgerError.outOfOrderBlock(expected: 2, got: 1)) { try store.commit(other, update: derive(other)) }
    }

    @Test func aFailingDerivationStopsReplayWithItsOwnError() throws {
        struct Refused: Error, Equatable {}
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try LedgerStore(directory: directory)
        for number: UInt64 in 0..<3 { try store.blocks.append(makeBlock(number)) }
        #expect(throws: Refused()) {
            try store.replay { block in
                if block.header?.number == 1 { throw Refused() }
                return derive(block)
            }
        }
        #expect(try store.lastAppliedBlock() == 0)
        #expect(try store.replay(derive: derive) == 2)
    }
}

/// Every row of an in-memory state, gathered through its public reads.
func allState(of state: InMemoryState) -> [String: [String: VersionedValue]] {
    var result: [String: [String: VersionedValue]] = [:]
    for namespace in ["ns", "a", "b", "c"] {
        for entry in state.range(namespace: namespace, start: "", end: "", limit: .max) {
            result[namespace, default: [:]][entry.key] = VersionedValue(value: entry.value, version: entry.version)
        }
    }
    return result
}
