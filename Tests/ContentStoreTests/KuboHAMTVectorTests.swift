import ContentStore
import Foundation
import MedLedgerTesting
import Testing

/// Directories at Kubo's HAMT threshold and one byte over it, with the CIDs Kubo publishes for
/// them (test/cli/cid_profiles_test.go): each file holds "x", names come from Kubo's generator.
@Suite("Kubo's published HAMT directory CIDs", .serialized)
struct KuboHAMTVectorTests {
    /// Kubo's defaults, the `unixfs-v0-2015` profile: links-bytes estimate.
    static let v0 = try! ImportOptions()
    /// The `unixfs-v1-2025` profile: CIDv1, raw leaves, 1 MiB chunks, 1024 links, block-bytes estimate.
    static let v1_2025 = try! ImportOptions(
        cidVersion: 1,
        rawLeaves: true,
        chunker: Chunker(size: 1_048_576),
        maximumLinks: 1024,
        directorySizeEstimate: .blockBytes
    )

    /// Writes Kubo's test directory into a temporary folder and imports it into `store`.
    static func importDirectory(
        files: Int,
        nameLength: Int,
        lastNameLength: Int? = nil,
        seed: String,
        options: ImportOptions,
        into store: ContentStore
    ) async throws -> ImportResult {
        try await offCooperativePool { try importDirectorySynchronously(files: files, nameLength: nameLength, lastNameLength: lastNameLength, seed: seed, options: options, into: store) }
    }

    private static func importDirectorySynchronously(
        files: Int, nameLength: Int, lastNameLength: Int?, seed: String, options: ImportOptions, into store: ContentStore
    ) throws -> ImportResult {
        let directory = try TemporaryDirectory(inMemory: true)
        defer { directory.remove() }
        let names = KuboDeterministicRandom.fileNames(
            count: files, nameLength: nameLength, lastNameLength: lastNameLength ?? nameLength, seed: seed)
        for name in names {
            _ = try directory.write("dir/\(name)", Data("x".utf8))
        }
        return try store.add(url: directory.url.appendingPathComponent("dir"), options: options)
    }

    static func rootKind(_ store: ContentStore, _ cid: CID) throws -> UnixFSNode.Kind? {
        guard case .dagPB(_, let unixFS) = try store.node(cid) else { return nil }
        return unixFS?.kind
    }

    @Test func v0AtTheThresholdStaysFlat() async throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let result = try await Self.importDirectory(files: 4096, nameLength: 30, seed: "hamt-unixfs-v0-2015", options: Self.v0, into: store)
        #expect(result.cid.description == "QmX5GtRk3TSSEHtdrykgqm4eqMEn3n2XhfkFAis5fjyZmN")
        #expect(try Self.rootKind(store, result.cid) == .directory)
    }

    @Test func v0OneByteOverTheThresholdIsSharded() async throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let result = try await Self.importDirectory(files: 4033, nameLength: 31, seed: "hamt-unixfs-v0-2015", options: Self.v0, into: store)
        #expect(result.cid.description == "QmeMiJzmhpJAUgynAcxTQYek5PPKgdv3qEvFsdV3XpVnvP")
        #expect(try Self.rootKind(store, result.cid) == .hamtShard)
    }

    @Test func v1_2025BlockBytesAtTheThresholdStaysFlat() async throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let result = try await Self.importDirectory(
            files: 4766, nameLength: 11, lastNameLength: 21, seed: "hamt-unixfs-v1-2025", options: Self.v1_2025, into: store)
        #expect(result.cid.description == "bafybeic3h7rwruealwxkacabdy45jivq2crwz6bufb5ljwupn36gicplx4")
        #expect(try store.blocks.get(result.cid).count == ImportOptions.shardingThreshold)
    }

    @Test func v1_2025BlockBytesOneByteOverTheThresholdIsSharded() async throws {
        let store = try ContentStore(blocks: MemoryBlockStore())
        let result = try await Self.importDirectory(
            files: 4766, nameLength: 11, lastNameLength: 22, seed: "hamt-unixfs-v1-2025", options: Self.v1_2025, into: store)
        #expect(result.cid.description == "bafybeiegvuterwurhdtkikfhbxcldohmxp566vpjdofhzmnhv6o4freidu")
        #expect(try Self.rootKind(store, result.cid) == .hamtShard)
    }

    /// Reading a sharded directory: stat calls it a directory, and a CAR export carries every
    /// block the import wrote (all shard levels) into a store that then holds the same DAG.
    @Test func aShardedDirectoryStatsAndExportsWhole() async throws {
        let source = MemoryBlockStore()
        let store = try ContentStore(blocks: source)
        let result = try await Self.importDirectory(files: 4033, nameLength: 31, seed: "hamt-unixfs-v0-2015", options: Self.v0, into: store)

        let stat = try store.stat(result.cid)
        #expect(stat.kind == .directory)
        #expect(stat.cumulativeSize <= result.dagSize)
        let written = try source.allMultihashes()
        #expect(stat.numBlocks == UInt64(written.count))

        var car = Data()
        try await store.exportCAR(roots: [result.cid]) { car.append($0) }
        let target = MemoryBlockStore()
        let imported = try await ContentStore(blocks: target).importCAR(CARTests.pieces(car, size: 65_536), pinRoots: true)
        #expect(imported.roots == [result.cid])
        #expect(Set(try target.allMultihashes()) == Set(written))
    }
}
