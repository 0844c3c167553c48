import ContentStore
import Foundation
import MedLedgerTesting
import Testing

/// Multi-chunk and multi-level files checked against Oracles/unixfs_oracle.py, an independent
/// Python implementation of Kubo's balanced layout (needs python3 with `protobuf`, and protoc).
@Suite("Importer agrees with the Python oracle")
struct OracleCrossCheckTests {
    static let oracle = repositoryRoot.appendingPathComponent("Tests/ContentStoreTests/Oracles/unixfs_oracle.py").path
    static let protoDirectory = repositoryRoot.appendingPathComponent("proto").path

    static func oracleResult(_ data: Data, cidVersion: Int, rawLeaves: Bool, chunk: Int, maxLinks: Int) throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("input", data)
        let output = try runProcessBlocking([
            "python3", oracle, protoDirectory, file.path, String(cidVersion), rawLeaves ? "1" : "0", String(chunk), String(maxLinks),
        ]).requireSuccess()
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func check(size: Int, cidVersion: Int, rawLeaves: Bool, chunk: Int, maxLinks: Int = 174) throws {
        let data = pseudoRandomBytes(size, seed: UInt64(size) &+ 77)
        let options = try ImportOptions(cidVersion: cidVersion, rawLeaves: rawLeaves, chunker: Chunker(size: chunk), maximumLinks: maxLinks)
        let result = try importBytes(data, options: options)
        let expected = try oracleResult(data, cidVersion: cidVersion, rawLeaves: rawLeaves, chunk: chunk, maxLinks: maxLinks)
        #expect("\(result.cid) \(result.size) \(result.dagSize)" == expected, "size \(size) v\(cidVersion) raw \(rawLeaves) chunk \(chunk)")
    }

    /// Small chunks and fan-out 4 reach depth 4 with little data: every boundary of the layout.
    @Test(arguments: [0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1023, 1024, 1025, 1500])
    func deepTreesWithSmallFanOut(size: Int) throws {
        for (version, raw) in [(0, false), (0, true), (1, true), (1, false)] {
            try Self.check(size: size, cidVersion: version, rawLeaves: raw, chunk: 16, maxLinks: 4)
        }
    }

    /// Kubo's fan-out of 174 around one and two full levels (chunk 256 keeps the data small).
    @Test(arguments: [256 * 174 - 1, 256 * 174, 256 * 174 + 1, 256 * 174 * 174, 256 * 174 * 174 + 1])
    func kuboFanOutBoundaries(size: Int) throws {
        try Self.check(size: size, cidVersion: 0, rawLeaves: false, chunk: 256)
        try Self.check(size: size, cidVersion: 1, rawLeaves: true, chunk: 256)
    }

    /// Kubo's defaults: 5 MiB (20 chunks, one level) and 175 chunks (two levels) in both versions.
    @Test(arguments: [5 * 1_048_576, 262_144 * 175 + 12345])
    func kuboDefaults(size: Int) throws {
        try Self.check(size: size, cidVersion: 0, rawLeaves: false, chunk: 262_144)
        try Self.check(size: size, cidVersion: 1, rawLeaves: true, chunk: 262_144)
    }
}
