internal import Chaincode
internal import EHRModel
public import ContentStore
internal import Foundation
public import Logging
internal import Schema

/// Makes every erasure the ledger approves take effect on this node, whoever submitted it and
/// however: for each valid `RecordErased` event of the `ehr` contract it destroys the record's
/// wrapped keys (crypto-shredding), unpins the content and collects it. On start it also goes
/// through every block already committed, so an erasure committed while the node was down, or
/// interrupted by a crash, takes effect then. Shredding is idempotent.
public struct ErasureEnforcer: Sendable {
    let node: LedgerNode
    let content: ContentStore
    let keys: WrappedKeyStore
    let logger: Logger

    public init(node: LedgerNode, content: ContentStore, keys: WrappedKeyStore, logger: Logger) {
        self.node = node
        self.content = content
        self.keys = keys
        self.logger = logger
    }

    /// Follows commits until cancelled. Call before the node starts committing, or accept that
    /// the catch-up pass covers what committed in between.
    public func run() async {
        let (erasures, continuation) = AsyncStream<[Medledger_V1_ChaincodeEvent]>.makeStream()
        node.onCommit { _, _, _, events in
            let erased = events.filter(Self.isErasure)
            if !erased.isEmpty { continuation.yield(erased) }
        }
        do {
            try node.forEachCommittedBlock { _, block in
                enforce(ChaincodeEvents.valid(in: block).filter(Self.isErasure))
            }
        } catch {
            logger.error("cannot read committed blocks to enforce erasures", metadata: ["error": "\(error)"])
        }
        await withTaskCancellationHandler {
            for await events in erasures { enforce(events) }
        } onCancel: {
            continuation.finish()
        }
    }

    private static func isErasure(_ event: Medledger_V1_ChaincodeEvent) -> Bool {
        event.chaincodeName == EHREvent.contractName && event.eventName == EHREvent.recordErased.rawValue
    }

    private func enforce(_ erasures: [Medledger_V1_ChaincodeEvent]) {
        for event in erasures {
            guard let erased = try? JSONDecoder().decode(ErasureNotice.self, from: event.payload), let cid = try? CID(erased.cid) else {
                logger.error("unreadable RecordErased event", metadata: ["tx": "\(event.txID)"])
                continue
            }
            do {
                let destroyed = try keys.shred(record: cid)
                // A node that only cached the content (a reader's) holds no key and no pin of it.
                guard destroyed > 0 || content.pins().contains(where: { $0.cid == cid }) || content.blocks.has(cid) else { continue }
                try? content.unpin(cid, recursive: true)
                let collected = try content.collectGarbage()
                logger.notice(
                    "erasure enforced",
                    metadata: ["record": "\(erased.recordID)", "cid": "\(cid)", "keys": "\(destroyed)", "blocks": "\(collected.removed.count)"])
            } catch {
                logger.error("cannot enforce erasure", metadata: ["record": "\(erased.recordID)", "error": "\(error)"])
            }
        }
    }

}
