import ContentStore
import Crypto
import EHRModel
import Foundation
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import RecordCrypto
import Schema
import Server
import Testing

/// No log line, at any level, carries a private key, an enrollment secret, a data key or a byte of
/// a health record: `medledger dev --log-level trace` serves the whole demo story, an enrollment
/// and a key release, and its log is searched for each of them.
@Suite("Secrets never reach the log", .timeLimit(.minutes(5)))
struct LogSecrecyTests {
    @Test func aTraceLevelLogOfTheWholeStoryHoldsNoKeySecretOrRecordByte() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "dev")
        let node = try await NodeProcess(
            arguments: ["dev", "--host", "127.0.0.1", "--port", "0", "--data", data.path, "--log-level", "trace"],
            dataDirectory: data, logs: directory.url, name: "dev", readyLine: "run these in this order:", mspID: "HospitalAMSP")
        let address = "\(node.address)"
        let identities = data.appending(path: "identities")

        let demo = try await runProcess([NodeProcess.medledger, "demo", "--data", data.path, "--address", address], timeout: .seconds(240))
        try #require(demo.status == 0, "demo failed\n\(demo.summary)")

        // An enrollment: its one-time secret is shown to the admin and must go nowhere else.
        let registered = try await runProcess([
            NodeProcess.medledger, "ca", "register", "--address", address, "--identity", identities.appending(path: "hospitala-admin").path,
            "--id", "log-probe", "--role", "patient",
        ]).requireSuccess()
        let secret = try #require(registered.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let probe = directory.url.appending(path: "log-probe")
        _ = try await runProcess([
            NodeProcess.medledger, "ca", "enroll", "--address", address, "--ca-cert", identities.appending(path: "hospitala-admin/tls-ca.pem").path,
            "--id", "log-probe", "--secret", secret, "--msp-id", "HospitalAMSP", "--out", probe.path,
        ]).requireSuccess()

        // A data key, as patient-1 unwraps it from a release of one of their records.
        let patientFolder = IdentityFolder(directory: identities.appending(path: "patient-1"))
        let patient = try TestUser(folder: patientFolder)
        let dataKey: Data = try await withClient(address: node.address, trusting: patientFolder.tlsTrustPath, as: patient) { client in
            let records = HealthRecords(client: client, signer: patient.signer, options: callOptions())
            let listed = try await records.listRecords(of: "P-001").first { !$0.erased }
            let record = try #require(listed)
            let opened = try await records.openRecord(record.recordID, purpose: "TREAT")
            var request = Medledger_V1_ReleaseKeyRequest()
            request.channelID = "ehr"
            request.transactionID = opened.txID
            let released = try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: callOptions())
            let agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: patient.signer.key.rawRepresentation)
            let key = try KeyWrap.unwrap(released.wrappedKey, with: agreement, record: try CID(released.cid))
            return key.withUnsafeBytes { Data($0) }
        }
        _ = await node.stop(SIGTERM)

        let log = node.log
        print("log-secrecy: \(log.split(separator: "\n").count) log lines, levels: \(Set(log.split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }).sorted())")
        #expect(log.contains(" debug ") && log.split(separator: "\n").count > 10, "the node logged at trace level")
        var secrets: [(String, String)] = [
            ("the enrollment secret", secret),
            ("a data key (hex)", dataKey.map { String(format: "%02x", $0) }.joined()),
            ("a data key (base64)", dataKey.base64EncodedString()),
            // Plaintext of the demo's records: a lab result's MRN and a mental-health note.
            ("a lab result's text", "MRN-P-001"), ("a lab result's text", "Glucose [Mass/volume]"), ("a note's text", "Session notes."),
        ]
        for keyFile in try Self.privateKeyFiles(under: directory.url) {
            let pem = try String(contentsOf: keyFile, encoding: .utf8)
            for line in pem.split(separator: "\n") where !line.hasPrefix("-----") && line.count >= 16 {
                secrets.append(("private key \(keyFile.lastPathComponent) of \(keyFile.deletingLastPathComponent().lastPathComponent)", String(line)))
            }
            if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
                secrets.append(("private key \(keyFile.path) (raw hex)", key.rawRepresentation.map { String(format: "%02x", $0) }.joined()))
            }
        }
        #expect(secrets.count > 20, "keys found: \(secrets.count)")
        for (what, value) in secrets where log.contains(value) {
            Issue.record("the node's log holds \(what)")
        }
    }

    /// Every PEM private key of the dev network's data directory and the enrolled probe.
    static func privateKeyFiles(under root: URL) throws -> [URL] {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return files.filter { file in
            file.pathExtension == "pem" && ((try? String(contentsOf: file, encoding: .utf8))?.contains("PRIVATE KEY-----") ?? false)
        }
    }
}
