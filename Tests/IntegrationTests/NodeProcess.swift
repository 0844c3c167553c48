import Foundation
import Identity
import MedLedgerTesting
import Schema
import Server
import Testing

/// `medledger serve` as an operator runs it: a child process on 127.0.0.1 with a port the kernel
/// chose, its stdout and stderr in files under `logs`. Stop it with a signal; `deinit` kills it,
/// so a failing test never leaves a node behind.
final class NodeProcess {
    /// The `medledger` binary `swift build --build-tests` put beside the test bundle.
    static let medledger = BuiltProduct.path("medledger")

    let dataDirectory: URL
    let mspID: String
    let address: ListeningAddress
    let pid: Int32
    /// Everything the node wrote to stderr (its log) so far.
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
    /// The node's TLS trust root, created on its first start.
    var caCertificatePath: String { dataDirectory.appending(path: "tls/ca.pem").path }
    /// The bootstrap admin, a member of the node's organisation.
    var admin: IdentityFolder { IdentityFolder(directory: dataDirectory.appending(path: "admin")) }

    private let process: Process
    private let exited: AsyncStream<Int32>
    private let logURL: URL
    private let outputURL: URL

    /// Starts `serve` on `dataDirectory` and waits for its banner. `name` distinguishes the log
    /// files of successive starts.
    convenience init(dataDirectory: URL, logs: URL, name: String, mspID: String = "MedLedgerOrg1MSP") async throws {
        try await self.init(
            arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--data", dataDirectory.path, "--msp-id", mspID],
            dataDirectory: dataDirectory, logs: logs, name: name, readyLine: "Organisation CA certificate:", mspID: mspID)
    }

    /// Starts `medledger dev` on `dataDirectory` and waits for its banner.
    static func dev(dataDirectory: URL, logs: URL, name: String) async throws -> NodeProcess {
        try await NodeProcess(
            arguments: ["dev", "--host", "127.0.0.1", "--port", "0", "--data", dataDirectory.path],
            dataDirectory: dataDirectory, logs: logs, name: name, readyLine: "run these in this order:", mspID: "HospitalAMSP")
    }

    /// The banner the process printed on stdout so far.
    var banner: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    /// Starts `medledger` with `arguments` and waits until stdout holds `readyLine` and the address.
    init(
        arguments: [String], dataDirectory: URL, logs: URL, name: String, readyLine: String, mspID: String
    ) async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.medledger),
            "build the medledger product first: swift build --build-tests"
        )
        outputURL = logs.appending(path: "\(name).out")
        logURL = logs.appending(path: "\(name).log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        let log = try FileHandle(forWritingTo: logURL)
        defer {
            try? output.close()
            try? log.close()
        }

        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.medledger)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        pid = process.processIdentifier
        self.dataDirectory = dataDirectory
        self.mspID = mspID
        self.exited = stream

        var banner = ""
        for _ in 0..<400 where !banner.contains(readyLine) && process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            banner = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        }
        guard let port = banner.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/).flatMap({ Int($0.1) }) else {
            kill(pid, SIGKILL)
            let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            throw NodeProcessFailure("no listening address from serve:\n\(banner)\nstderr:\n\(log)")
        }
        address = ListeningAddress(host: "127.0.0.1", port: port)
    }

    /// The node's organisation as a channel member: its MSP ID and CA root.
    func channelOrganization() throws -> Medledger_V1_OrganizationConfig {
        var organization = Medledger_V1_OrganizationConfig()
        organization.mspID = mspID
        organization.rootCerts = [Data(try admin.loadCACertificate().derBytes)]
        return organization
    }

    /// Creates channel `id`, with the node's organisation as its only member, as the bootstrap admin.
    func createChannel(_ id: String) async throws {
        try await IntegrationTests.createChannel(
            address: address, trusting: caCertificatePath, as: try TestUser(folder: admin),
            channelConfig(id, organizations: [try channelOrganization()]))
    }

    deinit {
        if process.isRunning { kill(pid, SIGKILL) }
    }

    /// Sends `signal` and waits for the exit status; nil (after a SIGKILL) if it outlives `timeout`.
    func stop(_ signal: Int32, timeout: Duration = .seconds(30)) async -> Int32? {
        kill(pid, signal)
        let pid = pid
        let deadline = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        var status: Int32?
        for await code in exited { status = code }
        deadline.cancel()
        let killed = (try? await deadline.value) != nil
        return killed ? nil : status
    }
}

struct NodeProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `medledger ledger verify --data dataDirectory` as a process.
func verifyLedger(_ dataDirectory: URL) async throws -> ProcessOutput {
    try await runProcess([NodeProcess.medledger, "ledger", "verify", "--data", dataDirectory.path], timeout: .seconds(120))
}
