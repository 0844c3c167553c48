import Foundation
import Identity
import MedLedgerTesting
import Server
import Testing

/// `medledger dag … --server` against the development network's node over mTLS, beside the same
/// commands on a local data directory: same input, same output.
@Suite("medledger dag --server", .timeLimit(.minutes(5)))
struct DagServerTests {
    static let medledger = NodeProcess.medledger

    /// 300,000 ASCII bytes with no repeated 1,000-byte chunk.
    static let bigBytes: Data = {
        var bytes = Data(count: 300_000)
        for index in bytes.indices { bytes[index] = 0x41 + UInt8(((index &* 2_654_435_761) >> 11) % 26) }
        return bytes
    }()

    func dag(_ arguments: [String], _ target: [String]) async throws -> ProcessOutput {
        try await runProcess([Self.medledger, "dag"] + arguments + target)
    }

    func server(_ network: RunningDevNetwork, as name: String) -> [String] {
        ["--server", "\(network.address.host):\(network.address.port)", "--identity", network.network.identity(name).directory.path]
    }

    @Test func everyCommandPrintsTheSameLocallyAndOverTheServer() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.medledger), "swift build --build-tests first")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let local = ["--data", directory.url.appending(path: "local").path]
        let hello = directory.url.appending(path: "hello.txt")
        try Data("hello world\n".utf8).write(to: hello)
        let big = directory.url.appending(path: "big.bin")
        try Self.bigBytes.write(to: big)

        try await withDevNetwork(in: directory.url.appending(path: "dev")) { network in
            let remote = server(network, as: "hospitala-admin")
            /// Runs `arguments` in both modes, expects success and equal stdout, returns it.
            func both(_ arguments: [String], _ comment: Comment? = nil) async throws -> String {
                let here = try await dag(arguments, local)
                let there = try await dag(arguments, remote)
                #expect(here.status == 0, "local dag \(arguments)\n\(here.summary)")
                #expect(there.status == 0, "--server dag \(arguments)\n\(there.summary)")
                #expect(here.standardOutput == there.standardOutput, "dag \(arguments): local\n\(here.summary)\n--server\n\(there.summary)")
                return there.standardOutput
            }

            #expect(try await both(["add", hello.path]) == "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o\n")
            let helloV1 = try await both(["add", "--cid-version", "1", hello.path]).trimmingCharacters(in: .newlines)
            #expect(helloV1.hasPrefix("bafk"))
            _ = try await both(["add", "--only-hash", "--cid-version", "1", "--no-raw-leaves", big.path])
            let cid = try await both(["add", "--chunker", "size-1000", "--no-pin", big.path]).trimmingCharacters(in: .newlines)

            #expect(Data(try await both(["cat", cid]).utf8) == Self.bigBytes)
            #expect(Data(try await both(["cat", "--offset", "5000", "--length", "20", cid]).utf8) == Self.bigBytes[5000..<5020])
            #expect(Data(try await both(["cat", "--offset", "299990", cid]).utf8) == Self.bigBytes[299_990...])
            #expect(try await both(["stat", cid]).contains("Size: 300000\n"))

            #expect(try await both(["pin", "add", "--no-recursive", cid]) == "pinned \(cid) directly\n")
            let pins = try await both(["pin", "ls"])
            #expect(pins.contains("\(cid) direct\n") && pins.contains("\(helloV1) recursive\n"), "\(pins)")
            _ = try await both(["pin", "rm", "--no-recursive", cid])

            let localCAR = directory.url.appending(path: "local.car").path
            let remoteCAR = directory.url.appending(path: "remote.car").path
            #expect(try await dag(["export", cid, "-o", localCAR], local).status == 0)
            let exported = try await dag(["export", cid, "-o", remoteCAR], remote)
            #expect(exported.status == 0, "\(exported.summary)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: localCAR)) == Data(contentsOf: URL(fileURLWithPath: remoteCAR)))

            let dryRun = try await both(["gc", "--dry-run"])
            #expect(dryRun.contains("would free ") && dryRun.hasSuffix(" in 303 blocks\n"), "\(dryRun)")
            #expect(try await both(["gc"]).hasSuffix("in 303 blocks\n"))
            for target in [local, remote] {
                let gone = try await dag(["cat", cid], target)
                #expect(gone.status != 0 && gone.standardError.contains("not found"), "\(gone.summary)")
            }
            #expect(try await both(["import", remoteCAR]) == "imported root \(cid)\n303 blocks\n")
            #expect(try await both(["stat", cid]).contains("NumBlocks: 303\n"))
            #expect(try await both(["pin", "ls"]).contains("\(cid) recursive\n"))
        }
    }

    @Test func refusalsAreClear() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.medledger), "swift build --build-tests first")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let big = directory.url.appending(path: "big.bin")
        try Self.bigBytes.write(to: big)
        let scratch = ["--data", directory.url.appending(path: "scratch").path]
        let car = directory.url.appending(path: "big.car")
        let cid = try await dag(["add", "--chunker", "size-1000", big.path], scratch).standardOutput.trimmingCharacters(in: .newlines)
        #expect(try await dag(["export", cid, "-o", car.path], scratch).status == 0)
        let whole = try Data(contentsOf: car)
        let truncated = directory.url.appending(path: "truncated.car")
        try whole.prefix(whole.count - 100).write(to: truncated)

        let dev = directory.url.appending(path: "dev")
        try await withDevNetwork(in: dev) { network in
            let cut = try await dag(["import", truncated.path], server(network, as: "dr-alice"))
            #expect(cut.status != 0)
            #expect(cut.standardError.contains("error: INVALID_ARGUMENT: invalid CAR: stream is truncated"), "\(cut.summary)")

            let held = try await dag(["pin", "ls"], ["--data", dev.path])
            #expect(held.status != 0)
            #expect(held.standardError.contains("is in use by a running MedLedger node"), "\(held.summary)")
            #expect(held.standardError.contains("--server HOST:PORT --identity DIR"), "\(held.summary)")

            let patientAdd = try await dag(["add", big.path], server(network, as: "patient-1"))
            #expect(patientAdd.status != 0)
            #expect(patientAdd.standardError.hasPrefix("error: PERMISSION_DENIED: "), "\(patientAdd.summary)")
            let clinicianAdd = try await dag(["add", "--chunker", "size-1000", big.path], server(network, as: "dr-alice"))
            #expect(clinicianAdd.standardOutput == "\(cid)\n", "\(clinicianAdd.summary)")
            let patientCat = try await dag(["cat", "--offset", "10", "--length", "5", cid], server(network, as: "patient-1"))
            #expect(Data(patientCat.standardOutput.utf8) == Self.bigBytes[10..<15], "reads are for any member: \(patientCat.summary)")
            let clinicianGC = try await dag(["gc"], server(network, as: "dr-alice"))
            #expect(clinicianGC.standardError.hasPrefix("error: PERMISSION_DENIED: "), "GC is for admins: \(clinicianGC.summary)")

            let folder = try await dag(["add", directory.url.path], server(network, as: "dr-alice"))
            #expect(folder.status != 0)
            #expect(folder.standardError.contains("is not a regular file: with --server, dag add sends one file"), "\(folder.summary)")
            let both = try await dag(["stat", cid, "--data", dev.path], server(network, as: "dr-alice"))
            #expect(both.status != 0 && both.standardError.contains("not both"), "\(both.summary)")
        }
    }
}
