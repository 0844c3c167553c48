public import Foundation
internal import GRDB
public import LedgerCore
public import Schema
internal import Wire

/// One channel's ledger on disk: a directory holding `blocks.sqlite` (the chain, the source of
/// truth) and `state.sqlite` (world state, history, transaction index, savepoint — all derived
/// and rebuildable by `replay`). Reads run concurrently with the writer (SQLite WAL); each call
/// on the store is its own consistent read, and `withSnapshot` gives several reads one view.
public final class LedgerStore: StateReader, StateWriter, Sendable {
    /// The chain of this channel.
    public let blocks: BlockStore
    let state: WorldState

    /// Opens the store in `directory`, creating it (mode 0700) and both databases if needed.
    /// `durability` applies to the block store; derived state always commits with `normal`,
    /// since replay restores whatever a power loss takes from it. State that has applied blocks the
    /// block store does not hold is discarded (see `discardedState`), or, without
    /// `repairingState` (a read-only check), reported as `corrupted`.
    public init(directory: URL, durability: Durability = .full, repairingState: Bool = true) throws(LedgerError) {
        blocks = try BlockStore(directory: directory, durability: durability)
        let height = try blocks.height()
        var state: WorldState? = try WorldState(directory: directory, durability: .normal)
        if let applied = try state?.file.read({ db in try WorldState.lastApplied(db) }), applied >= height {
            guard repairingState else {
                throw .corrupted(block: applied, reason: "state.sqlite has applied block \(applied) but blocks.sqlite holds only \(height) blocks")
            }
            // The block store lost its tail (a torn write the disk claimed to have synced): state,
            // derived data, is dropped and rebuilt from the blocks that are there.
            state = nil
            for suffix in ["", "-wal", "-shm"] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent("state.sqlite" + suffix))
            }
            discardedState = (applied: applied, height: height)
        } else {
            discardedState = nil
        }
        if let state {
            self.state = state
        } else {
            self.state = try WorldState(directory: directory, durability: .normal)
        }
    }

    /// Set when opening found state ahead of the block store (state had applied block `applied`,
    /// the chain holds `height` blocks) and discarded it; `replay` rebuilds it from block 0.
    public let discardedState: (applied: UInt64, height: UInt64)?

    /// Runs `body` with a reader whose every answer comes from the same committed state, even
    /// while blocks are being applied. The reader is valid only during `body`.
    public func withSnapshot<T>(_ body: (any StateReader) throws -> T) throws -> T {
        do {
            return try state.file.pool.read { db in try body(StateSnapshot(db: db)) }
        } catch let error as DatabaseError {
            throw SQLiteFile.isDiskFull(error) ? LedgerError.diskFull("state.sqlite") : LedgerError.storage("state.sqlite: \(error)")
        }
    }

    /// Appends `block` to the chain, then applies its `update` to state: the block is durable
    /// before state changes, so a crash in between is repaired by `replay`.
    public func commit(_ block: Medledger_V1_Block, update: StateUpdate) throws(LedgerError) {
        guard update.blockNumber == (block.header?.number ?? 0) else {
            throw .outOfOrderUpdate(expected: (block.header?.number ?? 0), got: update.blockNumber)
        }
        do {
            try blocks.append(block)
        } catch .outOfOrderBlock(let expected, let got) where expected == got + 1 {
            // A retry after a failed state update (say, a full disk) finds this very block stored.
            guard try blocks.blockBytes(got) == block.serializedData() else { throw .outOfOrderBlock(expected: expected, got: got) }
        }
        try state.apply(update)
    }

    /// Applies one block's state update atomically, savepoint included; only block N-1's successor.
    public func apply(_ update: StateUpdate) throws(LedgerError) {
        try state.apply(update)
    }

    /// The current value of `key`, read in its own transaction.
    public func get(namespace: String, key: String) throws(LedgerError) -> VersionedValue? {
        try state.file.read { db in try StateSnapshot(db: db).get(namespace: namespace, key: key) }
    }

    /// Keys in `[start, end)` in UTF-8 byte order (SQLite BINARY), at most `limit`.
    public func range(namespace: String, start: String, end: String, limit: Int) throws(LedgerError) -> [StateEntry] {
        try state.file.read { db in try StateSnapshot(db: db).range(namespace: namespace, start: start, end: end, limit: limit) }
    }

    /// JSON values matching `query` after `bookmark` in key order, at most `limit`; a declared
    /// index on a compared field turns the scan into a search.
    public func query(namespace: String, _ query: RichQuery, after bookmark: String, limit: Int) throws(LedgerError) -> [StateEntry] {
        try state.file.read { db in try StateSnapshot(db: db).query(namespace: namespace, query, after: bookmark, limit: limit) }
    }

    /// Every committed change of `key`, oldest first, deletes included.
    public func history(namespace: String, key: String) throws(LedgerError) -> [KeyModification] {
        try state.file.read { db in try StateSnapshot(db: db).history(namespace: namespace, key: key) }
    }

    /// Where `txID` was first committed, valid or not.
    public func transaction(_ txID: String) throws(LedgerError) -> TransactionLocation? {
        try state.file.read { db in try StateSnapshot(db: db).transaction(txID) }
    }

    /// The savepoint: the last block whose update state includes.
    public func lastAppliedBlock() throws(LedgerError) -> UInt64? {
        try state.file.read { db in try WorldState.lastApplied(db) }
    }
}
