import Foundation
import Identity
import CertificateAuthority
import Testing

/// A fresh directory under the system's temporary directory.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("medledger-identity-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// An in-memory organisation CA.
func makeCA(mspID: String = "HospitalAMSP", policy: OrganizationCA.Policy = OrganizationCA.Policy()) throws -> OrganizationCA {
    OrganizationCA(
        authority: try CertificateAuthority.create(mspID: mspID, name: "\(mspID) CA"),
        store: try RegistrationStore(path: nil),
        policy: policy
    )
}

/// Runs `openssl` with `arguments`; returns its exit status and combined output.
func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
    try runTool(["openssl"] + arguments)
}

/// Runs `command` (looked up on PATH); returns its exit status and combined output.
func runTool(_ command: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Writes `text` to `name` in `directory` and returns the path.
func write(_ text: String, named name: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.url.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
