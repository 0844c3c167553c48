import ContentStore
import Foundation
import Synchronization
import Testing

/// Multi-chunk and multi-level files against the CIDs Kubo publishes for its deterministic test
/// data (kubo `test/cli/add_test.go` and `cid_profiles_test.go`, mirrored by js-ipfs-unixfs'
/// `ipip-499-profiles.spec.ts`): the same bytes, the same options, the same root CID.
@Suite("Kubo's published CIDs for multi-chunk and multi-level files", .serialized)
struct KuboDeterministicVectorTests {
    /// Kubo's defaults (profile `unixfs-v0-2015`): CIDv0, dag-pb leaves, 256 KiB chunks, 174 links.
    static let legacy = try! ImportOptions()
    /// Profile `unixfs-v1-2025`: CIDv1, raw leaves, 1 MiB chunks, 1024 links.
    static let modern = try! ImportOptions(cidVersion: 1, chunker: Chunker(size: 1 << 20), maximumLinks: 1024)

    struct Vector: CustomTestStringConvertible, Sendable {
        let size: Int
        let seed: String
        let options: ImportOptions
        let cid: String
        /// The number of links Kubo's test checks on the root node.
        let rootLinks: Int?
        var testDescription: String { "\(size) bytes of \"\(seed)\" → \(cid)" }
    }

    @Test(arguments: [
        // One chunk exactly, then one byte more: a root over two leaves.
        Vector(size: 262_144, seed: "chunk-v0-seed", options: legacy, cid: "QmWmRj3dFDZdb6ABvbmKhEL6TmPbAfBZ1t5BxsEyJrcZhE", rootLinks: nil),
        Vector(size: 262_145, seed: "chunk-v0-seed", options: legacy, cid: "QmYyLxtzZyW22zpoVAtKANLRHpDjZtNeDjQdJrcQNWoRkJ", rootLinks: 2),
        // CIDv1 with raw leaves: one raw block, then a dag-pb root over two raw leaves.
        Vector(size: 1_048_576, seed: "chunk-v1-seed", options: modern, cid: "bafkreiacndfy443ter6qr2tmbbdhadvxxheowwf75s6zehscklu6ezxmta", rootLinks: nil),
        Vector(size: 1_048_577, seed: "chunk-v1-seed", options: modern, cid: "bafybeigmix7t42i6jacydtquhet7srwvgpizfg7gjbq7627d35mjomtu64", rootLinks: 2),
    ])
    func file(_ vector: Vector) async throws {
        try await check(vector)
    }

    /// The files that fill a node and then need a second level: 45 MB to 1 GiB + 1 MiB each, both
    /// CID versions, with `--max-file-links 1024` too. Seconds to minutes of CPU in a debug build, which on a
    /// two-core CI machine running every suite at once made other suites' calls miss their
    /// deadlines; so they run with `MEDLEDGER_LARGE_VECTORS=1` (the full run), and CI keeps the
    /// small vectors above.
    @Test(
        .enabled(if: ProcessInfo.processInfo.environment["MEDLEDGER_LARGE_VECTORS"] == "1", "set MEDLEDGER_LARGE_VECTORS=1"),
        arguments: [
            // 174 chunks fill one node; one more chunk (or one more byte) makes a second level.
            Vector(size: 44_544 * 1024, seed: "v0-seed", options: legacy, cid: "QmUbBALi174SnogsUzLpYbD4xPiBSFANF4iztWCsHbMKh2", rootLinks: 174),
            Vector(size: 44_800 * 1024, seed: "v0-seed", options: legacy, cid: "QmepeWtdmS1hHXx1oZXsPUv6bMrfRRKfZcoPPU4eEfjnbf", rootLinks: 2),
            Vector(size: 174 * 262_144 + 1, seed: "v0-seed", options: legacy, cid: "QmV81WL765sC8DXsRhE5fJv2rwhS4icHRaf3J9Zk5FdRnW", rootLinks: 2),
            // `ipfs add --max-file-links 1024` of 256 MiB: 1024 links in one node (kubo add_test.go).
            Vector(size: 262_144 * 1024, seed: "hello world", options: try! ImportOptions(maximumLinks: 1024), cid: "QmbBftNHWmjSWKLC49dMVrfnY8pjrJYntiAXirFJ7oJrNk", rootLinks: 1024),
            // Profile `unixfs-v1-2025` at and over 1024 links: a second level in CIDv1.
            Vector(size: 1024 << 20, seed: "v1-2025-seed", options: modern, cid: "bafybeihmf37wcuvtx4hpu7he5zl5qaf2ineo2lqlfrapokkm5zzw7zyhvm", rootLinks: 1024),
            Vector(size: 1025 << 20, seed: "v1-2025-seed", options: modern, cid: "bafybeihmzokxxjqwxjcryerhp5ezpcog2wcawfryb2xm64xiakgm4a5jue", rootLinks: 2),
        ])
    func largeFile(_ vector: Vector) async throws {
        try await check(vector)
    }

    private func check(_ vector: Vector) async throws {
        let root = RootKeepingSink()
        let result = try await offCooperativePool {
            var importer = FileImporter(options: vector.options, sink: root)
            try KuboDeterministicRandom.stream(count: vector.size, seed: vector.seed) { try importer.write($0) }
            return try importer.finish()
        }
        #expect(result.cid.description == vector.cid)
        #expect(result.size == UInt64(vector.size))
        if let rootLinks = vector.rootLinks, let block = root.last {
            #expect(try DagPBNode(decoding: block, cid: result.cid).links.count == rootLinks)
        }
    }
}

/// Keeps only the last block put, which an importer's root always is.
private final class RootKeepingSink: BlockSink {
    private let lastBlock = Mutex<Data?>(nil)
    var last: Data? { lastBlock.withLock { $0 } }
    func put(_ block: Data, as cid: CID) throws(ContentError) {
        lastBlock.withLock { $0 = block }
    }
}
