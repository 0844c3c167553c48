import Foundation
import MedLedgerTesting
import Testing

/// `medledger dag …` against a local data directory, as a user runs it.
@Suite("medledger dag", .timeLimit(.minutes(5)))
struct DagCommandTests {
    static let medledger = BuiltProduct.path("medledger")

    func dag(_ arguments: [String], data: URL) async throws -> ProcessOutput {
        try await runProcess([Self.medledger, "dag"] + arguments + ["--data", data.path])
    }

    @Test func addCatPinGCExportImport() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.medledger), "swift build --build-tests first")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let hello = directory.url.appending(path: "hello.txt")
        try Data("hello world\n".utf8).write(to: hello)
        var bytes = Data(count: 300_000)
        for index in bytes.indices { bytes[index] = 0x41 + UInt8(((index &* 2_654_435_761) >> 11) % 26) }  // ASCII, no repeated chunk
        let big = directory.url.appending(path: "big.bin")
        try bytes.write(to: big)

        let added = try await dag(["add", hello.path], data: data)
        #expect(added.standardOutput == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\n", "\(added.summary)")
        let v1 = try await dag(["add", "--cid-version", "1", "--no-raw-leaves", "--only-hash", hello.path], data: data)
        #expect(v1.standardOutput.hasPrefix("bafybei"), "\(v1.summary)")

        let bigAdd = try await dag(["add", "--chunker", "size-1000", big.path], data: data)
        let cid = bigAdd.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let range = try await dag(["cat", "--offset", "5000", "--length", "20", cid], data: data)
        #expect(Data(range.standardOutput.utf8) == bytes[5000..<5020])
        let car = directory.url.appending(path: "big.car").path
        #expect(try await dag(["export", cid, "-o", car], data: data).status == 0)
        #expect(try await dag(["pin", "rm", cid], data: data).status == 0)
        let gc = try await dag(["gc"], data: data)
        #expect(gc.standardOutput.contains("in 303 blocks"), "\(gc.summary)")  // 300 leaves, 2 parents, the root
        let missing = try await dag(["cat", cid], data: data)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("not found"))
        let imported = try await dag(["import", car], data: data)
        #expect(imported.standardOutput.contains("imported root \(cid)"), "\(imported.summary)")
        let stat = try await dag(["stat", cid], data: data)
        #expect(stat.standardOutput.contains("Size: 300000"), "\(stat.summary)")
        let pins = try await dag(["pin", "ls"], data: data)
        #expect(pins.standardOutput.contains("\(cid) recursive"))

        let bad = try await dag(["cat", "bafy-not-a-cid"], data: data)
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("invalid CID 'bafy-not-a-cid'"))
    }

    /// `--max-file-links` as Kubo's: 300 leaves under one root instead of two levels; nonsense refused.
    @Test func maxFileLinks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        let file = directory.url.appending(path: "file.bin")
        try Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }).write(to: file)

        let wide = try await dag(["add", "--chunker", "size-1000", "--max-file-links", "300", file.path], data: data)
        let cid = wide.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let stat = try await dag(["stat", cid], data: data)
        #expect(stat.standardOutput.contains("NumBlocks: 301"), "\(stat.summary)")  // the root and its 300 leaves
        let narrow = try await dag(["add", "--chunker", "size-1000", "--only-hash", file.path], data: data)
        #expect(narrow.status == 0 && narrow.standardOutput != wide.standardOutput)

        for (links, message) in [("1", "at least 2 links"), ("100000", "at most 16384 links")] {
            let refused = try await dag(["add", "--max-file-links", links, file.path], data: data)
            #expect(refused.status != 0)
            #expect(refused.standardError.contains(message), "\(refused.summary)")
        }
    }
}
