import CertificateAuthority
import Foundation
import Identity
import MedLedgerTesting
import Testing

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
    let run = try runProcessBlocking(["openssl"] + arguments)
    return (run.status, run.standardOutput + run.standardError)
}

/// Writes `text` to `name` in `directory` and returns the path.
func write(_ text: String, named name: String, in directory: TemporaryDirectory) throws -> String {
    let path = directory.url.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
