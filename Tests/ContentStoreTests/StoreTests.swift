import ContentStore
import Foundation
import MedLedgerTesting
import Testing

@Suite("Block store, reading, pins and garbage collection")
struct StoreTests {
    static func openStore(_ directory: TemporaryDirectory) throws -> ContentStore {
        try ContentStore(directory: directory.url.appendingPathComponent("content"))
    }

    @Test(arguments: [0, 1, 999, 1000, 1001, 174 * 1000 - 1, 174 * 1000, 174 * 1000 + 1, 174 * 1000 + 999])
    func addThenCatReturnsTheSameBytesAndRangesAreSlices(size: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.openStore(directory)
        let data = pseudoRandomBytes(size, seed: UInt64(size) + 1)
        for options in [try ImportOptions(chunker: Chunker(size: 1000)), try ImportOptions(cidVersion: 1, chunker: Chunker(size: 1000))] {
            let result = try store.add(pin: true) { try importBytes(data, options: options, into: $0) }
            #expect(try await readAll(store, result.cid) == data)
            #expect(result.size == UInt64(size))
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<8 {
                let offset = size == 0 ? 0 : Int.random(in: 0...size, using: &generator)
                let length = Int.random(in: 0...2500, using: &generator)
                let slice = data[offset..<min(size, offset + length)]
                #expect(try await readAll(store, result.cid, offset: UInt64(offset), length: UInt64(length)) == slice)
            }
        }
    }

    @Test func rangeOutsideTheFileIsAnError() async throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let result = try store.add { try importBytes(Data("hello world\n".utf8), options: ImportOptions(), into: $0) }
        await #expect(throws: ContentError.rangeOutOfBounds(offset: 13, length: nil, size: 12)) {
            _ = try await readAll(store, result.cid, offset: 13)
        }
        #expect(try await readAll(store, result.cid, offset: 12) == Data())
        #expect(try await readAll(store, result.cid, offset: 6, length: 100) == Data("world\n".utf8))
    }

    @Test func blockFilesAreShardedLikeKubosFlatFS() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.openStore(directory)
        let result = try store.add { try importBytes(Data("hello world\n".utf8), options: ImportOptions(), into: $0) }
        // Kubo stores QmT78z… as blocks/<next-to-last two>/<base32 multihash>.data.
        let key = FlatFSBlockStore.key(for: result.cid.multihash)
        #expect(key == "CIQENVCICS44LLYUDQ5KVN6ALXC6QRHK2X4R6EUFRMBB5OSFO2FUYDQ")
        let path = directory.url.appendingPathComponent("content/blocks/\(FlatFSBlockStore.relativePath(for: result.cid.multihash))").path
        #expect(FlatFSBlockStore.relativePath(for: result.cid.multihash) == "YD/\(key).data")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aFlippedByteInABlockFileIsDetectedAndNamed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try Self.openStore(directory)
        let data = pseudoRandomBytes(5000, seed: 9)
        let result = try store.add { try importBytes(data, options: ImportOptions(chunker: Chunker(size: 1000)), into: $0) }
        let leaf = try #require(try store.node(result.cid).links.last)
        let path = directory.url.appendingPathComponent("content/blocks/\(FlatFSBlockStore.relativePath(for: leaf.multihash))")
        var bytes = try Data(contentsOf: path)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: path)
        await #expect(throws: ContentError.corruptBlock(cid: leaf.description)) { _ = try await readAll(store, result.cid) }
        // Ranges that avoid the corrupt leaf still read.
        #expect(try await readAll(store, result.cid, offset: 0, length: 1000) == data.prefix(1000))
    }

    @Test func gcKeepsPinnedDropsUnpinnedAndPinsSurviveRestart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let options = try ImportOptions(chunker: Chunker(size: 100))
        var store = try Self.openStore(directory)
        let kept = try store.add(pin: true) { try importBytes(pseudoRandomBytes(1000, seed: 1), options: options, into: $0) }
        let dropped = try store.add(pin: false) { try importBytes(pseudoRandomBytes(1000, seed: 2), options: options, into: $0) }
        let direct = try store.add(pin: false) { try importBytes(pseudoRandomBytes(1000, seed: 3), options: options, into: $0) }
        try store.pin(direct.cid, recursive: false)

        store = try Self.openStore(directory)  // a restart: pins come back from disk
        #expect(Set(store.pins().map(\.cid)) == [kept.cid, direct.cid])
        let result = try store.collectGarbage()
        #expect(result.removed.count == 11 + 10)  // dropped's root + 10 leaves; direct's 10 leaves
        #expect(try store.stat(kept.cid).numBlocks == 11)
        #expect(store.blocks.has(direct.cid))
        #expect(!store.blocks.has(dropped.cid))
        #expect(throws: ContentError.blockNotFound(cid: dropped.cid.description)) { try store.stat(dropped.cid) }

        try store.unpin(kept.cid, recursive: true)
        #expect(throws: ContentError.notPinned(cid: kept.cid.description)) { try store.unpin(kept.cid, recursive: true) }
        _ = try store.collectGarbage()
        #expect(!store.blocks.has(kept.cid))
    }

    @Test func anAddInProgressIsNeverCollected() throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let options = try ImportOptions(chunker: Chunker(size: 100))
        let result = try store.add(pin: false) { sink in
            var importer = FileImporter(options: options, sink: sink)
            try importer.write(pseudoRandomBytes(550, seed: 4))
            let collected = try store.collectGarbage()
            #expect(collected.removed.isEmpty)
            try importer.write(pseudoRandomBytes(550, seed: 5))
            return try importer.finish()
        }
        #expect(try store.stat(result.cid).numBlocks == 12)
        #expect(try store.collectGarbage().removed.count == 12)
    }

    @Test func statDescribesFilesAndDirectories() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try directory.write("tree/a.txt", Data("Hello Mars!\n".utf8))
        _ = try directory.write("tree/b.txt", Data("Hello Venus!\n".utf8))
        let store = try Self.openStore(directory)
        let tree = try store.add(url: directory.url.appendingPathComponent("tree"), options: ImportOptions())
        let stat = try store.stat(tree.cid)
        #expect(stat.kind == .directory)
        #expect(stat.numBlocks == 3)
        #expect(stat.cumulativeSize == tree.dagSize)
        let raw = try store.add { try importBytes(Data("x".utf8), options: ImportOptions(cidVersion: 1), into: $0) }
        #expect(try store.stat(raw.cid).kind == .raw)
        #expect(try store.stat(raw.cid).size == 1)
    }
}

@Suite("Hostile DAGs")
struct HostileDagTests {
    /// A parent whose blocksizes lie must give an error naming it, not a crash or wrong bytes.
    @Test func lyingBlocksizesAreRejected() async throws {
        let blocks = MemoryBlockStore()
        let store = try ContentStore(blocks: blocks)
        let leaf = Data("abc".utf8)
        let leafCID = CID.of(leaf, version: 1, codec: .raw)
        try blocks.put(leaf, as: leafCID)
        for sizes in [[UInt64.max, 5], [4, 3]] {
            let header = UnixFSNode(kind: .file, filesize: 7, blocksizes: sizes)
            let parent = DagPBNode(
                links: [DagPBLink(cid: leafCID, tsize: 3), DagPBLink(cid: leafCID, tsize: 3)],
                data: header.encoded()
            ).encoded()
            let parentCID = CID.of(parent, version: 1, codec: .dagPB)
            try blocks.put(parent, as: parentCID)
            await #expect(throws: ContentError.self) { _ = try await readAll(store, parentCID) }
        }
    }
}
