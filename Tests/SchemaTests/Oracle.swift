import Foundation
import Testing

/// Runs the reference tools (protoc, Python protobuf, protobuf-c) that the cross-check tests
/// compare against. CI installs them; a missing tool fails the test with the install command.
enum Oracle {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let protoRoot = repositoryRoot.appending(path: "proto")
    static let oracleDirectory = repositoryRoot.appending(path: "Tests/SchemaTests/Oracles")

    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `executable` (searched on PATH) and waits; `input` is written to its stdin.
    static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        let writer = Thread {
            if let input { stdin.fileHandleForWriting.write(input) }
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Output(status: process.terminationStatus, stdout: output, stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// Runs a tool that must succeed; a failure names the command and its stderr.
    static func require(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let output = try run(executable, arguments, input: input)
        guard output.status == 0 else {
            throw OracleFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)")
        }
        return output.stdout
    }

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "medledger-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func allProtoFiles() throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: protoRoot.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".proto") }.sorted()
    }
}

struct OracleFailure: Error, CustomStringConvertible {
    var description: String
}

/// Bytes handed from a reader thread to the test thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?

    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
