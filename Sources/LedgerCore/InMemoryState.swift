internal import Foundation
internal import Schema
internal import Synchronization

/// World state held in memory: the reference implementation of `StateReader`/`StateWriter`, for
/// unit tests of chaincode and validation. The SQLite store must answer exactly as this does.
public final class InMemoryState: StateReader, StateWriter, Sendable {
    fileprivate struct Contents {
        var values: [String: [String: VersionedValue]] = [:]
        var history: [String: [String: [KeyModification]]] = [:]
        var transactions: [String: TransactionLocation] = [:]
        var lastApplied: UInt64?
    }

    fileprivate let contents = Mutex(Contents())

    public init() {}

    public func get(namespace: String, key: String) -> VersionedValue? {
        contents.withLock { $0.values[namespace]?[key] }
    }

    public func range(namespace: String, start: String, end: String, limit: Int) -> [StateEntry] {
        sortedEntries(namespace).filter { StateKeyOrder.contains($0.key, start: start, end: end) }.prefix(limit).map { $0 }
    }

    public func query(namespace: String, _ query: RichQuery, after bookmark: String, limit: Int) -> [StateEntry] {
        sortedEntries(namespace)
            .filter { bookmark.isEmpty || StateKeyOrder.precedes(bookmark, $0.key) }
            .filter { query.matches($0.value) }
            .prefix(limit).map { $0 }
    }

    public func history(namespace: String, key: String) -> [KeyModification] {
        contents.withLock { $0.history[namespace]?[key] ?? [] }
    }

    public func transaction(_ txID: String) -> TransactionLocation? {
        contents.withLock { $0.transactions[txID] }
    }

    public func lastAppliedBlock() -> UInt64? {
        contents.withLock { $0.lastApplied }
    }

    public func apply(_ update: StateUpdate) throws {
        try contents.withLock { contents in
            let expected = contents.lastApplied.map { $0 + 1 } ?? 0
            guard update.blockNumber == expected else {
                throw LedgerError.outOfOrderUpdate(expected: expected, got: update.blockNumber)
            }
            for write in update.writes {
                if let value = write.value {
                    contents.values[write.namespace, default: [:]][write.key] = VersionedValue(value: value, version: write.version)
                } else {
                    contents.values[write.namespace]?[write.key] = nil
                }
                let change = KeyModification(
                    txID: write.txID, version: write.version, timestamp: write.timestamp,
                    isDelete: write.value == nil, value: write.value ?? Data()
                )
                contents.history[write.namespace, default: [:]][write.key, default: []].append(change)
            }
            for transaction in update.transactions where contents.transactions[transaction.txID] == nil {
                contents.transactions[transaction.txID] = transaction.location
            }
            contents.lastApplied = update.blockNumber
        }
    }

    private func sortedEntries(_ namespace: String) -> [StateEntry] {
        let values = contents.withLock { $0.values[namespace] ?? [:] }
        return values.map { StateEntry(key: $0.key, value: $0.value.value, version: $0.value.version) }
            .sorted { StateKeyOrder.precedes($0.key, $1.key) }
    }
}

extension InMemoryState {
    /// Every current value, by namespace and key (empty namespaces omitted).
    public func allEntries() -> [String: [String: VersionedValue]] {
        contents.withLock { $0.values.filter { !$0.value.isEmpty } }
    }
}
