import ContentStore
import EHRModel
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing
import X509

/// Orphan-free uploads: a record upload is three calls (Content.Add, DepositKeys, AddRecord). A
/// client that stops after the first or the second leaves content and wrapped keys that no record
/// references; the node collects them once the upload grace runs out, and keeps everything of
/// uploads that committed, and content pinned for good by other means.
@Suite("Abandoned uploads are collected after their grace", .timeLimit(.minutes(3)))
struct UploadLeaseTests {
    @Test func eachFailurePointLeavesNothingAndCommittedUploadsStay() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appendingPathComponent("dev")
        // A grace no step of the test outlasts even on a loaded machine; the collection is asked
        // for as of a time past it (the node's own pass runs the same code every minute).
        try await withDevNetwork(in: data, uploadGrace: 600) { dev in
            let patient = Data(try dev.network.identity("patient-1").loadCertificate().derBytes)
            let (afterContent, afterDeposit, committed, recordID) = try await dev.records(as: "dr-alice") { alice in
                try await alice.registerPatient("P-1", certificateDER: patient)
                // Stops after Content.Add.
                let afterContent = try await alice.uploadContent(Data("abandoned after the content".utf8))
                // Stops after DepositKeys.
                let afterDeposit = try await alice.uploadContent(Data("abandoned after the keys".utf8))
                _ = try await alice.depositKeys(for: afterDeposit, patientID: "P-1")
                // Completes.
                let record = try await alice.addRecord(
                    .init(recordID: "kept", patientID: "P-1", resourceType: "Observation", category: "lab"), plaintext: Data("kept".utf8))
                return (afterContent.cid, afterDeposit.cid, try CID(record.cid), record.recordID)
            }
            // Pinned for good with a plain Content.Add: no lease, never collected — not even when a
            // provisional add of the same bytes follows and is abandoned.
            let permanent = try await dev.withClient(as: "dr-alice") { client in
                let content = Medledger_V1_Content.Client(wrapping: client)
                let plain = try CID(try await Self.add(content, Data("a plain pin".utf8)).cid)
                let again = try CID(try await Self.add(content, Data("a plain pin".utf8), provisional: true).cid)
                #expect(again == plain)
                return plain
            }
            let keys = try WrappedKeyStore(root: data.appendingPathComponent("keys"))
            let heldAtFirst = try Self.stored(afterContent, in: data) && Self.stored(afterDeposit, in: data) && keys.hasAnyCopy(of: afterDeposit)
            #expect(heldAtFirst)

            // Before the grace is over nothing goes; once it is, the abandoned uploads are gone, content and keys.
            #expect(dev.node.collectAbandonedUploads().collected == 0)
            let pass = dev.node.collectAbandonedUploads(asOf: Date().addingTimeInterval(660))
            #expect(pass.kept == 1 && pass.collected == 3, "\(pass)")
            let collected = try !Self.stored(afterContent, in: data) && !Self.stored(afterDeposit, in: data) && !keys.hasAnyCopy(of: afterDeposit)
            #expect(collected, "abandoned uploads still stored after their grace")
            // The committed record and the plain pin stay, and the record still opens for the patient.
            let kept = try Self.stored(committed, in: data) && keys.hasAnyCopy(of: committed) && Self.stored(permanent, in: data)
            #expect(kept)
            let opened = try await dev.records(as: "patient-1") { try await $0.openRecord(recordID, purpose: "TREAT") }
            #expect(opened.plaintext == Data("kept".utf8))
            let leases = try String(contentsOf: data.appendingPathComponent("keys/upload-leases.json"), encoding: .utf8)
            #expect(leases == "{}", "every lease ended: \(leases)")
        }
    }

    @Test func aProvisionalAddWithoutAPinIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url.appendingPathComponent("dev")) { dev in
            let error = await #expect(throws: RPCError.self) {
                try await dev.withClient(as: "dr-alice") { client in
                    _ = try await Self.add(Medledger_V1_Content.Client(wrapping: client), Data("x".utf8), pin: false, provisional: true)
                }
            }
            #expect(error?.code == .invalidArgument && error?.message.contains("options.provisional leases a pin") == true, "\(String(describing: error))")
        }
    }

    /// Whether the node's content store (read from its data directory) has `cid`'s root block and pins it.
    static func stored(_ cid: CID, in data: URL) throws -> Bool {
        let store = try ContentStore(directory: data.appendingPathComponent("content"))
        return store.blocks.has(cid) && store.pins().contains { $0.cid == cid }
    }

    static func add(
        _ client: Medledger_V1_Content.Client<HTTP2ClientTransport.Posix>, _ data: Data, pin: Bool = true, provisional: Bool = false
    ) async throws -> Medledger_V1_AddResponse {
        try await client.add(options: callOptions()) { writer in
            var options = Medledger_V1_AddOptions()
            options.cidVersion = 1
            options.pin = pin
            options.provisional = provisional
            var first = Medledger_V1_AddRequest()
            first.part = .options(options)
            try await writer.write(first)
            var chunk = Medledger_V1_AddRequest()
            chunk.part = .chunk(data)
            try await writer.write(chunk)
        }
    }
}
