internal import Foundation
public import LedgerCore
public import Schema

extension LedgerStore {
    /// Applies, in order, every stored block after the last applied one, with `derive` computing
    /// each block's update (as at commit); returns how many blocks were applied. After a crash
    /// between appending a block and applying it, this brings state back to the chain's height.
    public func replay(derive: (Medledger_V1_Block) throws -> StateUpdate) throws -> Int {
        let start = try lastAppliedBlock().map { $0 + 1 } ?? 0
        return try feed(from: start, into: self, derive: derive)
    }

    /// Derives state from the whole chain into `writer` (e.g. an `InMemoryState` that
    /// `ledger verify` compares with `allState()`); returns how many blocks were applied.
    public func rebuild(into writer: any StateWriter, derive: (Medledger_V1_Block) throws -> StateUpdate) throws -> Int {
        try feed(from: 0, into: writer, derive: derive)
    }

    /// Every current world-state row: namespace → key → value and version.
    public func allState() throws(LedgerError) -> [String: [String: VersionedValue]] {
        try state.file.read { db in try StateSnapshot(db: db).allState() }
    }

    private func feed(from start: UInt64, into writer: any StateWriter, derive: (Medledger_V1_Block) throws -> StateUpdate) throws -> Int {
        var applied = 0
        var failure: (any Error)?
        // forEachBlock reports storage errors as LedgerError; derive's and the writer's own errors
        // are carried past it unchanged.
        do {
            try blocks.forEachBlock(from: start) { number, bytes in
                do {
                    let update = try derive(try BlockStore.decode(number, bytes))
                    guard update.blockNumber == number else {
                        throw LedgerError.corrupted(block: number, reason: "derived a state update for block \(update.blockNumber)")
                    }
                    try writer.apply(update)
                    applied += 1
                } catch {
                    failure = error
                    throw error
                }
            }
        } catch {
            throw failure ?? error
        }
        return applied
    }
}
