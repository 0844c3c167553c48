internal import Foundation

/// Puts blocks into a store on up to `width` threads at once, so that each block's durable write
/// (temp file → fsync → rename) overlaps the next blocks' hashing and encryption and the other
/// writes' fsyncs, which the file system then commits together. `finish()` waits for every write,
/// stops the threads and throws the first failure; a block is readable only once it returns.
///
/// Own threads rather than Dispatch: on Linux, Dispatch runs about one thread per core and does
/// not add threads for ones blocked in fsync, which would leave only two writes in flight here.
final class PipelinedBlockWriter: @unchecked Sendable {
    static let defaultWidth = 8

    private let store: any ContentBlockStore
    private let width: Int
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var queued: [(block: Data, cid: CID)] = []
    private var unfinished = 0
    private var threads = 0
    private var finished = false
    private var failure: ContentError?

    init(store: any ContentBlockStore, width: Int = PipelinedBlockWriter.defaultWidth) {
        self.store = store
        self.width = width
    }

    /// Queues `block`, waiting while `width` writes are unfinished; throws an earlier write's failure.
    func put(_ block: Data, as cid: CID) throws(ContentError) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!finished, "put after finish")
        while unfinished >= width && failure == nil { condition.wait() }
        if let failure { throw failure }
        queued.append((block, cid))
        unfinished += 1
        if threads < min(width, unfinished) {
            threads += 1
            let thread = Thread { [self] in drain() }
            thread.name = "medledger.block-writer"
            thread.start()
        }
        condition.broadcast()
    }

    /// Waits until every queued write is done and the threads have stopped; throws the first
    /// write that failed. The writer takes no more blocks afterwards.
    func finish() throws(ContentError) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.broadcast()
        while unfinished > 0 || threads > 0 { condition.wait() }
        if let failure { throw failure }
    }

    private func drain() {
        condition.lock()
        while true {
            while queued.isEmpty && !finished { condition.wait() }
            guard !queued.isEmpty else { break }
            let (block, cid) = queued.removeFirst()
            let skip = failure != nil  // the import has failed: its remaining blocks are not needed
            condition.unlock()
            var error: ContentError?
            if !skip {
                do throws(ContentError) { try store.put(block, as: cid) } catch let failed { error = failed }
            }
            condition.lock()
            if failure == nil { failure = error }
            unfinished -= 1
            condition.broadcast()
        }
        threads -= 1
        condition.broadcast()
        condition.unlock()
    }
}
