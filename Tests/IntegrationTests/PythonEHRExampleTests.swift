import Chaincode
import EHRModel
import Foundation
import MedLedgerKit
import MedLedgerTesting
import Server
import Testing

/// `examples/python/ehr_example.py`, with stubs grpc_tools.protoc generates from `proto/`, runs the
/// whole health-record story against the development network over mTLS: enroll, upload encrypted,
/// denied read, consent, permitted read with the key unwrapped and the content decrypted in Python.
@Suite("Python EHR example against the development network", .timeLimit(.minutes(3)))
struct PythonEHRExampleTests {
    @Test("Enroll, upload, deny, consent, permit and decrypt — from Python")
    func pythonExampleRunsTheStory() async throws {
        let generated = try await generatePythonStubs(
            [
                "common", "identity", "ca", "channel", "block", "deliver", "ledger", "gateway", "content",
                "content_service", "records",
            ].map { "medledger/v1/\($0).proto" },
            extraModules: ["cryptography", "pyhpke"]
        )
        defer { generated.remove() }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let script = repositoryRoot.appendingPathComponent("examples/python/ehr_example.py").path
        try await withDevNetwork(in: directory.url) { dev in
            let output = try await runProcess(
                [
                    "python3", script, "--address", "\(dev.address)",
                    "--identities", dev.network.identitiesDirectory.path, "--generated", generated.url.path,
                ],
                timeout: .seconds(120)
            )
            let report = try #require(
                try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)) as? [String: Any],
                "ehr_example.py printed no JSON object\n\(output.summary)"
            )
            try #require(output.status == 0 && report["ok"] as? Bool == true, "ehr_example.py failed\n\(output.summary)")
            let steps = try #require(report["steps"] as? [String: [String: Any]], "no 'steps' in \(report)")

            let enrolled = try #require(steps["enroll"])
            let enrollmentID = try #require(enrolled["enrollmentID"] as? String)
            #expect(enrollmentID.hasPrefix("py-patient-"))
            let subject = enrolled["subject"] as? String ?? ""
            #expect(subject.contains("CN=\(enrollmentID)") && subject.contains("OU=patient") && subject.contains("O=HospitalAMSP"))

            let added = try #require(steps["add_record"])
            let recordID = try #require(added["recordID"] as? String)
            #expect(added["patientEnrollmentID"] as? String == enrollmentID)
            #expect((added["cid"] as? String)?.hasPrefix("b") == true)

            let denied = try #require(steps["open_without_consent"])
            #expect(denied["outcome"] as? String == "deny")
            #expect(denied["released"] as? Bool == false)
            #expect(steps["grant_consent"]?["grantee"] as? String == "HospitalBMSP")
            let permitted = try #require(steps["open_with_consent"])
            #expect(permitted["outcome"] as? String == "permit")
            #expect(permitted["sha256Matched"] as? Bool == true)
            #expect(permitted["bytesMatched"] as? Bool == true)
            #expect(denied["txID"] as? String != permitted["txID"] as? String)

            // The Swift SDK reads what Python sealed and wrapped: the formats agree byte for byte.
            let opened = try await dev.records(as: "dr-bob") { bob in try await bob.openRecord(recordID, purpose: "TREAT") }
            #expect(opened.decision.outcome == .permit)
            #expect(opened.record?.cid == added["cid"] as? String)
            #expect(opened.record?.plaintextSHA256 == added["plaintextSHA256"] as? String)
            let resource = try #require(
                try opened.plaintext.flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] })
            #expect(resource["resourceType"] as? String == "Observation")
        }
    }
}
