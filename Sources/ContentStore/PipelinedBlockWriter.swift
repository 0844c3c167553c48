internal import Dispatch
public import Foundation
internal import Synchronization

/// Puts blocks into a store on up to `width` threads at once, so that each block's durable write
/// (temp file → fsync → rename) overlaps the next blocks' hashing and encryption and the other
/// writes' fsyncs, which the file system then commits together. `flush()` waits for every write
/// and throws the first failure; a block is readable only after the flush that covers it.
final class PipelinedBlockWriter: Sendable {
    static let defaultWidth = 8

    private let store: any BlockStore
    private let queue = DispatchQueue(label: "medledger.content.block-writer", attributes: .concurrent)
    private let slots: DispatchSemaphore
    private let pending = DispatchGroup()
    private let failure = Mutex<ContentError?>(nil)

    init(store: any BlockStore, width: Int = PipelinedBlockWriter.defaultWidth) {
        self.store = store
        self.slots = DispatchSemaphore(value: width)
    }

    /// Queues `block`, waiting while `width` writes are in flight; throws an earlier write's failure.
    func put(_ block: Data, as cid: CID) throws(ContentError) {
        if let error = failure.withLock({ $0 }) { throw error }
        slots.wait()
        pending.enter()
        queue.async { [self] in
            defer {
                self.slots.signal()
                self.pending.leave()
            }
            do throws(ContentError) {
                try self.store.put(block, as: cid)
            } catch {
                self.failure.withLock { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits until every queued write is done; throws the first that failed.
    func flush() throws(ContentError) {
        pending.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }
}
