import Foundation
import MedLedgerTesting
import Schema
import Server
import Testing

/// `medledger serve` as an operator runs it: a separate process, stopped by a signal.
@Suite("medledger serve", .timeLimit(.minutes(3)))
struct ServeCommandTests {
    /// The `medledger` binary `swift build --build-tests` put beside the test bundle.
    static let medledger = BuiltProduct.path("medledger")

    @Test("serve prints its address and CA, answers Check over TLS, and exits 0 on SIGTERM")
    func serveUntilSIGTERM() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.medledger),
            "build the medledger product first: swift build --build-tests"
        )
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let outputURL = directory.url.appending(path: "stdout")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.medledger)
        process.arguments = ["serve", "--port", "0", "--data", directory.url.appending(path: "data").path]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            exited.continuation.yield(process.terminationStatus)
            exited.continuation.finish()
        }
        try process.run()
        let pid = process.processIdentifier
        defer { if process.isRunning { kill(pid, SIGKILL) } }

        var banner = ""
        for _ in 0..<100 where !banner.contains("Organisation CA certificate:") {
            try await Task.sleep(for: .milliseconds(100))
            banner = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        }
        let port = try #require(
            banner.firstMatch(of: /listening on 127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) },
            "no listening address in the output:\n\(banner)"
        )
        let caPath = directory.url.appending(path: "data/tls/ca.pem").path
        #expect(banner.contains(caPath))

        let status = try await withHealthClient(
            address: ListeningAddress(host: "127.0.0.1", port: port),
            trusting: caPath
        ) { health in
            try await health.check(healthRequest(""), options: callOptions()).status
        }
        #expect(status == .serving)

        kill(pid, SIGTERM)
        var exitStatus: Int32?
        for await code in exited.stream {
            exitStatus = code
        }
        #expect(exitStatus == 0)
    }

    @Test("serve on an HTTPS port already taken exits non-zero and names the option to change")
    func serveOnATakenHTTPSPort() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // A dev node's HTTPS port is taken while it runs.
        let run = try await withDevNetwork(in: directory.url.appending(path: "dev"), httpsPort: 0) { dev in
            let taken = try await #require(dev.node.fhirEndpoint).port
            let run = try await runProcess(
                [Self.medledger, "serve", "--port", "0", "--https-port", "\(taken)", "--data", directory.url.appending(path: "data").path],
                timeout: .seconds(60))
            #expect(run.standardError.contains("cannot serve FHIR Bulk Data over HTTPS on 127.0.0.1:\(taken)"), "\(run.summary)")
            return run
        }
        #expect(run.status != 0 && !run.timedOut, "\(run.summary)")
        #expect(run.standardError.contains("Choose another --https-port, 0 for a free one, or --no-https"), "\(run.summary)")
    }
}
