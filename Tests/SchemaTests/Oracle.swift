import Foundation
import MedLedgerTesting
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
        let run = try runProcessBlocking([executable] + arguments, input: input)
        return Output(status: run.status, stdout: run.standardOutputData, stderr: run.standardError)
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

