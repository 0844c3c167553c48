import ContentStore
import Foundation
import MedLedgerTesting
import Synchronization
import Testing

/// Adds write their blocks on several threads; everything is stored before the add returns, and
/// a failed write fails the add without pinning it.
@Suite("Pipelined block writes")
struct PipelinedWriteTests {
    /// A memory store whose puts take a little while (as an fsync does), that counts how many run
    /// at once and can be told to fail one.
    final class SlowStore: ContentBlockStore {
        let inner = MemoryBlockStore()
        let failingPut: Int?
        private let counters = Mutex((running: 0, mostAtOnce: 0, puts: 0))

        init(failingPut: Int? = nil) { self.failingPut = failingPut }

        var mostAtOnce: Int { counters.withLock { $0.mostAtOnce } }

        func put(_ block: Data, as cid: CID) throws(ContentError) {
            let number = counters.withLock { counters in
                counters.running += 1
                counters.puts += 1
                counters.mostAtOnce = max(counters.mostAtOnce, counters.running)
                return counters.puts
            }
            defer { counters.withLock { $0.running -= 1 } }
            usleep(5_000)
            if number == failingPut { throw .io(path: "block \(number)", reason: "disk full") }
            try inner.put(block, as: cid)
        }

        func get(_ cid: CID) throws(ContentError) -> Data { try inner.get(cid) }
        func has(_ cid: CID) -> Bool { inner.has(cid) }
        func size(of cid: CID) -> UInt64? { inner.size(of: cid) }
        func delete(_ multihash: Multihash) throws(ContentError) { try inner.delete(multihash) }
        func allMultihashes() throws(ContentError) -> [Multihash] { try inner.allMultihashes() }
    }

    static let options = try! ImportOptions(cidVersion: 1, chunker: try! Chunker(size: 1000))

    @Test func everyBlockIsStoredBeforeTheAddReturns() async throws {
        let blocks = SlowStore()
        let store = try ContentStore(blocks: blocks)
        let bytes = pseudoRandomBytes(40_000, seed: 11)
        let result = try store.add { sink in
            var importer = FileImporter(options: Self.options, sink: sink)
            try importer.write(bytes)
            return try importer.finish()
        }
        #expect(try blocks.allMultihashes().count == 41)  // 40 raw leaves and their parent
        #expect(store.pins().map(\.cid) == [result.cid])
        var read = Data()
        try await store.reader.read(result.cid) { read.append($0) }
        #expect(read == bytes)
        #expect(blocks.mostAtOnce > 1, "blocks were written one at a time")
    }

    @Test func aFailedWriteFailsTheAddAndPinsNothing() throws {
        let store = try ContentStore(blocks: SlowStore(failingPut: 7))
        #expect(throws: ContentError.io(path: "block 7", reason: "disk full")) {
            _ = try store.add { sink in
                var importer = FileImporter(options: Self.options, sink: sink)
                try importer.write(pseudoRandomBytes(40_000, seed: 12))
                return try importer.finish()
            }
        }
        #expect(store.pins().isEmpty)
    }
}
