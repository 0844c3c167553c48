import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing

/// The development network with its data directory on a small tmpfs that the test fills: writes
/// get RESOURCE_EXHAUSTED naming the full disk (never a server path), nothing partial stays, reads
/// go on, and once space is freed the waiting block commits and writes succeed — no restart.
@Suite("A full disk", .timeLimit(.minutes(5)))
struct DiskFullTests {
    @Test func writesAreRefusedWithoutPartsLeftReadsGoOnAndWritesResumeOnceSpaceIsFreed() async throws {
        let mount = try await SmallFileSystem(megabytes: 24)
        defer { mount.remove() }
        let data = mount.directory.appendingPathComponent("dev")
        let stalled: String = try await withDevNetwork(in: data) { dev in
            // Before the disk fills: a committed asset and stored content to read back later.
            let before = try await Self.createAsset("before", dev: dev)
            #expect(before.status.result == .valid)
            let stored = try await Self.add(Self.bytes(200_000, seed: 1), dev: dev)
            let blocksBefore = try Self.blockFiles(under: data)

            try mount.fill()

            // Content: refused by name, with no server path, and no block of it left behind.
            let content = await #expect(throws: RPCError.self) { try await Self.add(Self.bytes(300_000, seed: 2), dev: dev) }
            #expect(content?.code == .resourceExhausted, "\(String(describing: content))")
            #expect(content?.message.contains("disk is full") == true && content?.message.contains(data.path) == false, "\(String(describing: content))")
            #expect(try Self.blockFiles(under: data) == blocksBefore, "a failed add left blocks behind")

            // The CA: a registration is refused, and can be made once space is freed.
            let registration = await #expect(throws: RPCError.self) { try await Self.register("nurse-during-full-disk", dev: dev) }
            #expect(registration?.code == .resourceExhausted && registration?.message.contains("disk is full") == true, "\(String(describing: registration))")

            // The ledger: a transaction the committer cannot store waits; new ones are refused.
            let waiting = try await dev.ledger(as: "dr-alice") {
                try await $0.submitWithoutWaiting(
                    "asset", "CreateAsset", ["during", #"{"owner":"alice","value":2,"padding":"\#(String(repeating: "x", count: 400_000))"}"#]
                ).txID
            }
            let refused = try await Self.eventuallyRefused(dev: dev)
            #expect(refused.code == .resourceExhausted && refused.message.contains("disk is full"), "\(refused)")
            #expect(!refused.message.contains(data.path))
            #expect(try await eventually { try await dev.health("ledger/ehr") == .notServing })

            // Reads go on.
            let read = try await dev.ledger(as: "dr-alice") { try await $0.evaluate("asset", "ReadAsset", ["before"]) }
            #expect(read.status == 200)
            #expect(try await Self.cat(stored, dev: dev) == Self.bytes(200_000, seed: 1))

            // Space freed: the waiting transaction commits by itself, and writes succeed again.
            mount.emptyFiller()
            let status = try await dev.ledger(as: "dr-alice", timeout: .seconds(60)) { try await $0.commitStatus(waiting) }
            #expect(status.result == .valid)
            #expect(try await eventually { try await dev.health("ledger/ehr") == .serving })
            let after = try await Self.createAsset("after", dev: dev)
            #expect(after.status.result == .valid)
            #expect(try await Self.register("nurse-during-full-disk", dev: dev).isEmpty == false)
            let again = try await Self.add(Self.bytes(300_000, seed: 2), dev: dev)
            #expect(try await Self.cat(again, dev: dev) == Self.bytes(300_000, seed: 2))
            return waiting
        }
        #expect(!stalled.isEmpty)
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "ledger verify after the full disk\n\(verified.summary)")
    }

    static func createAsset(_ id: String, dev: RunningDevNetwork) async throws -> LedgerGateway<HTTP2ClientTransport.Posix>.Committed {
        try await dev.ledger(as: "dr-alice") { try await $0.submit("asset", "CreateAsset", [id, #"{"owner":"alice","value":1}"#]) }
    }

    /// Submits until the node refuses (the committer has met the full disk); returns the refusal.
    static func eventuallyRefused(dev: RunningDevNetwork) async throws -> RPCError {
        let deadline = ContinuousClock.now + .seconds(30)
        var attempt = 0
        while ContinuousClock.now < deadline {
            attempt += 1
            do {
                _ = try await dev.ledger(as: "dr-alice") {
                    try await $0.submitWithoutWaiting("asset", "CreateAsset", ["probe-\(attempt)", #"{"owner":"alice","value":4}"#])
                }
            } catch let error as RPCError where error.code == .resourceExhausted {
                return error
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RPCError(code: .deadlineExceeded, message: "the node accepted transactions for 30 s on a full disk")
    }

    /// Registers a clinician of HospitalA as its admin; returns the enrollment secret.
    static func register(_ enrollmentID: String, dev: RunningDevNetwork) async throws -> String {
        try await dev.withClient(as: "hospitala-admin") { client in
            var request = Medledger_V1_RegisterRequest()
            request.enrollmentID = enrollmentID
            request.role = .clinician
            return try await Medledger_V1_CertificateAuthority.Client(wrapping: client).register(request, options: callOptions()).secret
        }
    }

    static func add(_ bytes: Data, dev: RunningDevNetwork) async throws -> String {
        try await dev.withClient(as: "dr-alice") { client in
            try await Medledger_V1_Content.Client(wrapping: client).add(options: callOptions()) { writer in
                var options = Medledger_V1_AddRequest()
                options.part = .options(Medledger_V1_AddOptions())
                var chunk = Medledger_V1_AddRequest()
                chunk.part = .chunk(bytes)
                try await writer.write(contentsOf: [options, chunk])
            }.cid
        }
    }

    static func cat(_ cid: String, dev: RunningDevNetwork) async throws -> Data {
        try await dev.withClient(as: "dr-alice") { client in
            var request = Medledger_V1_CatRequest()
            request.cid = cid
            return try await Medledger_V1_Content.Client(wrapping: client).cat(request: ClientRequest(message: request), options: callOptions()) { response in
                var bytes = Data()
                for try await message in response.messages { bytes.append(message.chunk) }
                return bytes
            }
        }
    }

    static func bytes(_ count: Int, seed: UInt64) -> Data {
        var generator = SplitMix64(seed: seed)
        return Data((0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    }

    /// Every block file of the node's content store.
    static func blockFiles(under data: URL) throws -> Set<String> {
        let root = data.appendingPathComponent("content/blocks")
        return Set((FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".data") })
    }
}

/// A tmpfs of a few megabytes mounted for one test (the test runs as root, as CI does), and a
/// filler file that takes all of its free space.
struct SmallFileSystem {
    let directory: URL
    var filler: URL { directory.appendingPathComponent("filler") }

    init(megabytes: Int) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-small-fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let mounted = try await runProcess(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", directory.path])
        guard mounted.status == 0 else {
            throw RPCError(code: .failedPrecondition, message: "a full-disk test mounts a tmpfs, which needs root (CI runs as root)\n\(mounted.summary)")
        }
    }

    /// Writes zeros until the file system refuses more.
    func fill() throws {
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        defer { try? handle.close() }
        let chunk = Data(count: 64 * 1024)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        var small = Data(count: 512)
        while !small.isEmpty {
            if (try? handle.write(contentsOf: small)) == nil { small = Data(count: small.count / 2) }
        }
    }

    func emptyFiller() {
        try? FileManager.default.removeItem(at: filler)
    }

    func remove() {
        _ = try? runProcessBlocking(["umount", "-l", directory.path])
        try? FileManager.default.removeItem(at: directory)
    }
}
