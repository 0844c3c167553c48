internal import Chaincode
internal import ContentStore
internal import Foundation
internal import Logging

/// Removes what abandoned uploads left: for every upload lease that ran out, if a committed
/// record of a channel this node has joined references the CID, the lease just ends (the pin
/// and the keys are the record's now); otherwise the node shreds the keys deposited for it,
/// unpins the content (unless it was pinned before the upload began) and collects its blocks.
struct UploadCollector: Sendable {
    let node: LedgerNode
    let content: ContentStore
    let keys: WrappedKeyStore
    let leases: UploadLeases
    let logger: Logger

    /// What one pass did.
    struct Pass: Equatable {
        var kept = 0
        var collected = 0
    }

    /// Collects every `interval` until cancelled.
    func run(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            collect()
        }
    }

    /// One pass over the leases that ended before `now`.
    @discardableResult
    func collect(now: Date = Date()) -> Pass {
        var pass = Pass()
        for (cid, unpin) in leases.expired(now: now) {
            do {
                if try isReferenced(cid) {
                    pass.kept += 1
                } else {
                    let shredded = try keys.shred(record: cid)
                    if unpin { try? content.unpin(cid, recursive: true) }
                    pass.collected += 1
                    logger.notice("collected an abandoned upload", metadata: ["cid": "\(cid)", "keys": "\(shredded)"])
                }
                try leases.release(cid)
            } catch {
                logger.warning("cannot collect an abandoned upload; retrying on the next pass", metadata: ["cid": "\(cid)", "error": "\(error)"])
            }
        }
        if pass.collected > 0 {
            do {
                _ = try content.collectGarbage()
            } catch {
                logger.warning("garbage collection after abandoned uploads failed", metadata: ["error": "\(error)"])
            }
        }
        return pass
    }

    /// Whether a committed record of any joined channel holds `cid`.
    private func isReferenced(_ cid: CID) throws -> Bool {
        try node.joinedChannels().contains { try LedgerPermit.recordHolding(cid, on: $0.peer) != nil }
    }
}
