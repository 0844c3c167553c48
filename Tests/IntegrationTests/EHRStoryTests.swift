import Chaincode
import ContentStore
import Crypto
import EHRModel
import Foundation
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing

/// Holds the first alert a watcher saw.
final class AlertBox: @unchecked Sendable {
    private let lock = NSLock()
    private var alert: BreakGlassAlert?
    func set(_ value: BreakGlassAlert) { lock.withLock { alert = value } }
    func get() -> BreakGlassAlert? { lock.withLock { alert } }
}

/// The refusal of ReleaseKey for `txID` as `caller` (nil if a key was released).
func releaseKeyRefusal(_ dev: RunningDevNetwork, as caller: String, _ txID: String) async -> RPCError? {
    do {
        try await dev.withClient(as: caller) { client in
            var release = Medledger_V1_ReleaseKeyRequest()
            release.channelID = "ehr"
            release.transactionID = txID
            _ = try await Medledger_V1_Records.Client(wrapping: client).releaseKey(release, options: callOptions())
        }
        return nil
    } catch {
        return error as? RPCError
    }
}

@Suite("EHR story over real mTLS on the development network")
struct EHRStoryTests {
    @Test func consentAuditBreakGlassResearchRevocationAndErasure() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let patientCertificate = { (name: String) in Data(try dev.network.identity(name).loadCertificate().derBytes) }
            let lab1 = SampleRecords.observation(patient: "P-001", marker: "alpha")
            let note1 = Data("mental-health note about P-001".utf8)
            let lab2 = SampleRecords.observation(patient: "P-002", marker: "beta")
            let lab3 = SampleRecords.observation(patient: "P-003", marker: "gamma")

            // A hospital registers its patients and adds records; content is encrypted client-side.
            try await dev.records(as: "dr-alice") { alice in
                try await alice.registerPatient("P-001", certificateDER: try patientCertificate("patient-1"))
                try await alice.registerPatient("P-002", certificateDER: try patientCertificate("patient-2"))
                let added = try await alice.addRecord(.init(recordID: "rec-1", patientID: "P-001", resourceType: "Observation", category: "lab"), plaintext: lab1)
                #expect(added.authorMSP == "HospitalAMSP" && added.author == "dr-alice")
                _ = try await alice.addRecord(.init(recordID: "rec-2", patientID: "P-001", resourceType: "DocumentReference", category: "mental-health"), plaintext: note1)
                _ = try await alice.addRecord(.init(recordID: "rec-3", patientID: "P-002", resourceType: "Observation", category: "lab"), plaintext: lab2)
            }
            try await dev.records(as: "dr-bob") { bob in
                try await bob.registerPatient("P-003", certificateDER: try patientCertificate("patient-3"))
                _ = try await bob.addRecord(.init(recordID: "rec-4", patientID: "P-003", resourceType: "Observation", category: "lab"), plaintext: lab3)
            }

            // The other hospital's clinician is denied; the denial is on the ledger, and no key is released.
            let denied = try await dev.records(as: "dr-bob") { bob in try await bob.openRecord("rec-1", purpose: "TREAT") }
            #expect(denied.decision.outcome == .deny && denied.plaintext == nil)
            let noKey = await releaseKeyRefusal(dev, as: "dr-bob", denied.txID)
            #expect(noKey?.code == .permissionDenied)

            // The patient consents to HospitalB for treatment, except mental-health records.
            let consent = try await dev.records(as: "patient-1") { patient in
                try await patient.grantConsent(ConsentDraft(
                    patientID: "P-001", grantee: Grantee(kind: .organization, mspID: "HospitalBMSP"),
                    provisions: [Provision(type: .deny, categories: ["mental-health"])]))
            }
            let permitted = try await dev.records(as: "dr-bob") { bob in
                let opened = try await bob.openRecord("rec-1", purpose: "TREAT")
                #expect(opened.decision.outcome == .permit)
                #expect(opened.plaintext == lab1)
                let mental = try await bob.openRecord("rec-2", purpose: "TREAT")
                #expect(mental.decision.outcome == .deny && mental.plaintext == nil)
                return opened
            }
            // Someone else cannot redeem bob's permit.
            let stolen = await releaseKeyRefusal(dev, as: "researcher", permitted.txID)
            #expect(stolen?.code == .permissionDenied)

            // The patient sees who read their records, denials included.
            let trail = try await dev.records(as: "patient-1") { patient in try await patient.auditTrail(of: "P-001") }
            let bobsReads = trail.filter { $0.reader.enrollmentID == "dr-bob" && $0.recordID == "rec-1" }
            #expect(bobsReads.map(\.outcome) == [.deny, .permit])
            #expect(trail.contains { $0.recordID == "rec-2" && $0.outcome == .deny })

            // Break-glass: an emergency read of another patient, justified and audited.
            try await dev.records(as: "dr-bob") { bob in
                let emergency = try await bob.openRecord("rec-3", purpose: "ETREAT", justification: "unconscious in ER, allergy check")
                #expect(emergency.decision.outcome == .permit && emergency.plaintext == lab2)
            }
            let emergencyTrail = try await dev.records(as: "patient-2") { patient in try await patient.auditTrail(of: "P-002") }
            // The patient (and the patient's hospital) are notified by the BreakGlass event.
            let alert = try await dev.records(as: "patient-2") { patient in
                let first = AlertBox()
                try await patient.watchBreakGlass(patientID: "P-002", fromBlock: 0) { alert in
                    first.set(alert)
                    return false
                }
                return first.get()
            }
            #expect(alert?.notice.reader.enrollmentID == "dr-bob" && alert?.notice.patientMSP == "HospitalAMSP")
            #expect(alert?.notice.justification == "unconscious in ER, allergy check")
            #expect(emergencyTrail.contains { $0.justification == "unconscious in ER, allergy check" && $0.outcome == .permit })

            // Research: two patients approve, one declines; the export holds exactly the approvers' lab records.
            try await dev.records(as: "researcher") { researcher in
                try await researcher.requestAccess(studyID: "GLU-2026", categories: ["lab"], description: "glucose trends")
            }
            try await dev.records(as: "patient-1") { try await $0.respond(toStudy: "GLU-2026", patientID: "P-001", approve: true) }
            try await dev.records(as: "patient-2") { try await $0.respond(toStudy: "GLU-2026", patientID: "P-002", approve: true) }
            try await dev.records(as: "patient-3") { try await $0.respond(toStudy: "GLU-2026", patientID: "P-003", approve: false) }
            let export = try await dev.records(as: "researcher") { try await $0.exportStudy("GLU-2026") }
            #expect(export.patients == 2 && export.resources == 2)
            let text = String(decoding: export.ndjson, as: UTF8.self)
            for forbidden in ["P-001", "P-002", "P-003", "gamma", "MRN-", "Jane", "555-0100", "dr-alice", "2025-03-14", "obs-alpha"] {
                #expect(!text.contains(forbidden), "the export leaks \(forbidden)")
            }
            let lines = text.split(separator: "\n")
            #expect(lines.count == 2)
            for line in lines {
                let resource = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(resource["resourceType"] as? String == "Observation")
                #expect(resource["effectiveDateTime"] as? String == "2025")
                #expect(((resource["subject"] as? [String: Any])?["reference"] as? String)?.hasPrefix("Patient/") == true)
            }

            // A patient who withdraws is left out of the next export.
            try await dev.records(as: "patient-2") { try await $0.respond(toStudy: "GLU-2026", patientID: "P-002", approve: false) }
            let again = try await dev.records(as: "researcher") { try await $0.exportStudy("GLU-2026") }
            #expect(again.txID.count == 64 && again.txID != export.txID, "each export is its own StudyRecords decision")
            let afterWithdrawal = again.resources
            #expect(afterWithdrawal == 1, "only patient-1 still approves")

            // Revocation is immediate for new reads.
            try await dev.records(as: "patient-1") { try await $0.revokeConsent(consent.consentID, of: "P-001") }
            let afterRevoke = try await dev.records(as: "dr-bob") { try await $0.openRecord("rec-1", purpose: "TREAT") }
            #expect(afterRevoke.decision.outcome == .deny)
            // Even bob's permit from before the revocation no longer releases the key.
            let revoked = await releaseKeyRefusal(dev, as: "dr-bob", permitted.txID)
            #expect(revoked?.code == .permissionDenied && revoked?.message.contains("revoked") == true)

            // Erasure: the patient asks, the authoring hospital's admin approves, every key copy is destroyed.
            try await dev.records(as: "patient-1") { try await $0.requestErasure(of: "rec-1") }
            let erasedRecord = try await dev.records(as: "hospitala-admin") { try await $0.approveErasure(of: "rec-1") }
            #expect(erasedRecord.erased)
            let keyCopies = dev.node.configuration.keysDirectory.appendingPathComponent(erasedRecord.cid).path
            #expect(!FileManager.default.fileExists(atPath: keyCopies), "every wrapped key of the erased record is destroyed")
            let own = try await dev.records(as: "patient-1") { try await $0.openRecord("rec-1", purpose: "TREAT") }
            #expect(own.decision.outcome == .deny && own.plaintext == nil)
            // Even the permit bob obtained before erasure no longer releases a key.
            let erased = await releaseKeyRefusal(dev, as: "dr-bob", permitted.txID)
            #expect(erased?.code == .permissionDenied)

            // The auditor re-verifies the whole chain from outside the node.
            let report = try await dev.withClient(as: "auditor") { client in
                try await ChainAudit.verify(client: client, channel: "ehr", knownChaincodes: ["asset", "ehr"], options: callOptions())
            }
            #expect(report.height > 10 && report.validTransactions == report.transactions)
        }
    }

    /// On the one-node network too, a record about another organisation's patient carries the
    /// home organisation's key copy, kept in the node's custody beside the author's.
    @Test func aRecordAboutAnotherOrganisationsPatientKeepsTheHomeOrganisationsKeyCopy() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let patient = Data(try dev.network.identity("patient-1").loadCertificate().derBytes)
            try await dev.records(as: "dr-alice") { try await $0.registerPatient("P-001", certificateDER: patient) }
            let lab = SampleRecords.observation(patient: "P-001", marker: "seen at HospitalB")
            let added = try await dev.records(as: "dr-bob") { bob in
                try await bob.addRecord(.init(recordID: "rec-b", patientID: "P-001", resourceType: "Observation", category: "lab"), plaintext: lab)
            }
            let home = try #require(added.keyDigests[KeyCopy.home], "patient-1's home, HospitalA, holds a key copy")
            let keys = try WrappedKeyStore(root: dev.network.dataDirectory.appendingPathComponent("keys", isDirectory: true))
            let held = try keys.load(record: try CID(added.cid), reader: "org-HospitalAMSP")
            #expect(Hex.encode(SHA256.hash(data: held)) == home)
            #expect(try keys.load(record: try CID(added.cid), reader: "org-HospitalBMSP").isEmpty == false)
            let opened = try await dev.records(as: "patient-1") { try await $0.openRecord("rec-b", purpose: "TREAT") }
            #expect(opened.decision.outcome == .permit && opened.plaintext == lab)
        }
    }
}

@Suite("Records on behalf of plain clients: the caller's own node seals and opens")
struct NodeSealedRecordTests {
    @Test func aPlainClientLetsItsOwnNodeEncryptAndDecrypt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let plaintext = SampleRecords.observation(patient: "P-010", marker: "delta")
            let alice = try dev.user("dr-alice")
            try await dev.records(as: "dr-alice") { records in
                try await records.registerPatient("P-010", certificateDER: Data(try dev.network.identity("patient-1").loadCertificate().derBytes))
            }
            let txID = try await dev.withClient(as: "dr-alice") { client in
                let sealed = try await Medledger_V1_Records.Client(wrapping: client).sealContent(options: callOptions()) { writer in
                    var header = Medledger_V1_SealContentHeader()
                    header.channelID = "ehr"
                    header.patientID = "P-010"
                    var first = Medledger_V1_SealContentRequest()
                    first.part = .header(header)
                    try await writer.write(first)
                    for piece in [plaintext.prefix(100), plaintext.dropFirst(100)] {
                        var chunk = Medledger_V1_SealContentRequest()
                        chunk.part = .chunk(Data(piece))
                        try await writer.write(chunk)
                    }
                }
                #expect(sealed.cid.hasPrefix("b"))
                let add = """
                    {"recordID":"rec-10","patientID":"P-010","cid":"\(sealed.cid)","plaintextSHA256":"\(sealed.plaintextSha256)",\
                    "resourceType":"Observation","category":"lab",\
                    "keyDigests":{"patient":"\(sealed.patientKeyDigest)","author":"\(sealed.organizationKeyDigest)"}}
                    """
                let gateway = LedgerGateway(client: client, signer: alice.signer, channel: "ehr", options: callOptions())
                #expect(try await gateway.submit("ehr", "AddRecord", [add]).status.result == .valid)
                let opened = try await gateway.submit("ehr", "OpenRecord", [#"{"recordID":"rec-10","purpose":"TREAT"}"#])
                #expect(opened.status.result == .valid)
                return opened.txID
            }
            // The same identity reads the plaintext back through its own organisation's node.
            let read = try await dev.withClient(as: "dr-alice") { client in
                var request = Medledger_V1_ReleaseKeyRequest()
                request.channelID = "ehr"
                request.transactionID = txID
                return try await Medledger_V1_Records.Client(wrapping: client).readContent(request: ClientRequest(message: request), options: callOptions()) { response in
                    var bytes = Data()
                    for try await message in response.messages { bytes.append(message.chunk) }
                    return bytes
                }
            }
            #expect(read == plaintext)
            // The patient's own copy, wrapped by the node, opens with the patient's key through the SDK.
            let own = try await dev.records(as: "patient-1") { try await $0.openRecord("rec-10", purpose: "TREAT") }
            #expect(own.plaintext == plaintext)
            // A clinician may not have the node seal content for someone else's organisation key: researchers may not seal at all.
            let refused = try await dev.withClient(as: "researcher") { client in
                await #expect(throws: RPCError.self) {
                    _ = try await Medledger_V1_Records.Client(wrapping: client).sealContent(options: callOptions()) { writer in
                        var header = Medledger_V1_SealContentHeader()
                        header.channelID = "ehr"
                        header.patientID = "P-010"
                        var first = Medledger_V1_SealContentRequest()
                        first.part = .header(header)
                        try await writer.write(first)
                    }
                }
            }
            #expect(refused?.code == .permissionDenied)
        }
    }
}

@Suite("The node enforces every erasure the ledger approves")
struct ErasureEnforcementTests {
    @Test func anErasureApprovedThroughThePlainGatewayStillDestroysTheKeysAndContent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let record = try await dev.records(as: "dr-alice") { alice in
                try await alice.registerPatient("P-020", certificateDER: Data(try dev.network.identity("patient-2").loadCertificate().derBytes))
                return try await alice.addRecord(
                    .init(recordID: "rec-20", patientID: "P-020", resourceType: "Observation", category: "lab"),
                    plaintext: SampleRecords.observation(patient: "P-020", marker: "zeta"))
            }
            let keyCopies = dev.node.configuration.keysDirectory.appendingPathComponent(record.cid).path
            #expect(FileManager.default.fileExists(atPath: keyCopies))
            try await dev.records(as: "patient-2") { try await $0.requestErasure(of: "rec-20") }
            // No SDK, no ShredKeys: only the ledger transaction.
            let admin = try dev.user("hospitala-admin")
            let committed = try await dev.withClient(as: "hospitala-admin") { client in
                try await LedgerGateway(client: client, signer: admin.signer, channel: "ehr", options: callOptions())
                    .submit("ehr", "ApproveErasure", [#"{"recordID":"rec-20"}"#])
            }
            #expect(committed.status.result == .valid)
            var gone = false
            for _ in 0..<600 where !gone {
                gone = !FileManager.default.fileExists(atPath: keyCopies)
                if !gone { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(gone, "the node destroys the key copies of an erased record by itself")
            let cat = await #expect(throws: RPCError.self) {
                try await dev.withClient(as: "dr-alice") { client in
                    var request = Medledger_V1_StatRequest()
                    request.cid = record.cid
                    _ = try await Medledger_V1_Content.Client(wrapping: client).stat(request, options: callOptions())
                }
            }
            #expect(cat?.code == .notFound, "the erased content is collected")
        }
    }
}

@Suite("Health records survive a restart of the development network")
struct RecordRestartTests {
    @Test func aRecordAddedBeforeARestartOpensAfterIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let plaintext = SampleRecords.observation(patient: "P-030", marker: "eta")
        try await withDevNetwork(in: directory.url) { dev in
            try await dev.records(as: "dr-alice") { alice in
                try await alice.registerPatient("P-030", certificateDER: Data(try dev.network.identity("patient-1").loadCertificate().derBytes))
                _ = try await alice.addRecord(.init(recordID: "rec-30", patientID: "P-030", resourceType: "Observation", category: "lab"), plaintext: plaintext)
            }
        }
        try await withDevNetwork(in: directory.url) { dev in
            #expect(!dev.created)
            let opened = try await dev.records(as: "patient-1") { try await $0.openRecord("rec-30", purpose: "TREAT") }
            #expect(opened.decision.outcome == .permit && opened.plaintext == plaintext)
            let trail = try await dev.records(as: "patient-1") { try await $0.auditTrail(of: "P-030") }
            #expect(trail.count == 1 && trail.first?.reader.enrollmentID == "patient-1")
        }
    }
}
