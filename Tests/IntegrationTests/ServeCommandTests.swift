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
}
