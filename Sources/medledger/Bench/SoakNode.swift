internal import Foundation

/// The soak's `medledger dev` node, a child process of its own (so its memory and files are its
/// own) on a free loopback port, stopped with SIGTERM when the soak ends.
final class SoakNode: Sendable {
    let process: Process
    let dataDirectory: URL
    /// HOST:PORT it listens on.
    let address: String

    var pid: Int32 { process.processIdentifier }

    private init(process: Process, dataDirectory: URL, address: String) {
        self.process = process
        self.dataDirectory = dataDirectory
        self.address = address
    }

    /// Starts the node under `dataDirectory` and waits (up to two minutes) for its banner, which
    /// it writes to `output.txt` beside that directory.
    static func start(dataDirectory: URL) async throws -> SoakNode {
        let outputURL = dataDirectory.deletingLastPathComponent().appendingPathComponent("output.txt")
        try FileManager.default.createDirectory(at: dataDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw SoakFailure("cannot create \(outputURL.path)")
        }
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LocalNetworkProcesses.executable)
        process.arguments = ["dev", "--port", "0", "--no-https", "--data", dataDirectory.path, "--log-level", "warning"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline, process.isRunning {
            let banner = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
            if let match = banner.firstMatch(of: /listening on (\S+)/) {
                return SoakNode(process: process, dataDirectory: dataDirectory, address: String(match.1))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { process.terminate() }
        throw SoakFailure("medledger dev did not listen within two minutes:\n\((try? String(contentsOf: outputURL, encoding: .utf8)) ?? "")")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
