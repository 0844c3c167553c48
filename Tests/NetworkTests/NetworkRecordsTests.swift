import ContentStore
import Crypto
import RecordCrypto
import EHRModel
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import SwiftASN1
import X509
import Testing

extension MultiNodeNetwork {
    /// Health records when each organisation runs its own node and every user calls only their
    /// own: the patient's home organisation keeps a key copy and a replica of what another
    /// organisation writes about them; a reader's node relays key releases to the custodians
    /// (who decide on their own copy of the ledger) and fetches the content; erasure reaches
    /// every node.
    @Suite("Health records across organisations' nodes", .serialized, .timeLimit(.minutes(6)))
    struct NetworkRecordsTests {
        @Test func keysAndContentFollowTheirCustodiansAndErasureReachesEveryNode() async throws {
            try await withNetwork { network in
                let run = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36).uppercased()
                let (visitID, labID, studyID) = ("VISIT-\(run)", "LAB-\(run)", "STUDY-\(run)")
                let visit = Data(#"{"resourceType":"Observation","id":"v1","status":"final","subject":{"display":"Carol Example"},"valueQuantity":{"value":5.1}}"#.utf8)
                let lab = Data(#"{"resourceType":"Observation","id":"l1","status":"final","valueQuantity":{"value":6.2}}"#.utf8)
                let hospitalA = network.organization("HospitalA")

                // patient-3's home is HospitalB, patient-1's HospitalA; each registered by their own.
                try await network.withRecords("dr-bob", at: "HospitalB") { try await $0.registerPatient("P-003", certificateDER: try network.certificate("patient-3")) }
                try await network.withRecords("dr-alice", at: "HospitalA") { try await $0.registerPatient("P-001", certificateDER: try network.certificate("patient-1")) }
                _ = try await eventually(timeout: .seconds(20)) {
                    try await network.withRecords("dr-alice", at: "HospitalA") { try await $0.patient("P-003") }
                }

                // dr-alice writes about patient-3 at HospitalA: HospitalB's node holds a replica and a key copy.
                let added = try await network.withRecords("dr-alice", at: "HospitalA") {
                    try await $0.addRecord(.init(recordID: visitID, patientID: "P-003", resourceType: "Observation", category: "lab"), plaintext: visit)
                }
                #expect(added.keyDigests[KeyCopy.home] != nil, "the record names HospitalB's key copy")
                let cid = try CID(added.cid)
                #expect(try network.holdsKey(of: cid, at: "HospitalB") && network.holdsContent(cid, at: "HospitalB"))
                #expect(try await network.pins(at: "HospitalB", as: "hospitalb-admin").contains(added.cid), "HospitalB pins the replica")
                #expect(try !network.holdsKey(of: cid, at: "PharmaCo") && !network.holdsContent(cid, at: "PharmaCo"))

                // A record of patient-1 (HospitalA's alone): dr-bob's node is no custodian and relays to HospitalA's.
                let labRecord = try await network.withRecords("dr-alice", at: "HospitalA") {
                    try await $0.addRecord(.init(recordID: labID, patientID: "P-001", resourceType: "Observation", category: "lab"), plaintext: lab)
                }
                #expect(labRecord.keyDigests[KeyCopy.home] == nil)
                try await network.withRecords("patient-1", at: "HospitalA") {
                    _ = try await $0.grantConsent(ConsentDraft(patientID: "P-001", grantee: Grantee(kind: .organization, mspID: "HospitalBMSP")))
                }
                let relayed = try await eventually(timeout: .seconds(20)) {
                    try await network.withRecords("dr-bob", at: "HospitalB") { try await $0.openRecord(labID, purpose: "TREAT") }
                }
                #expect(relayed.decision.outcome == .permit && relayed.plaintext == lab, "\(relayed.decision)")
                #expect(try !network.holdsKey(of: try CID(labRecord.cid), at: "HospitalB"), "a relayed release leaves no key at the reader's node")
                // The key goes only to the decision's creator or a peer of its organisation.
                let misdirected = await #expect(throws: RPCError.self) {
                    try await network.withNodeClient(network.organization("HospitalB").peer, as: "identities/dr-bob") { client in
                        var request = Medledger_V1_ReleaseKeyRequest()
                        request.channelID = "ehr"
                        request.transactionID = relayed.txID
                        request.recipientCertificate = try network.certificate("patient-3")
                        return try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: callOptions())
                    }
                }
                #expect(misdirected?.code == .permissionDenied && misdirected?.message.contains("neither the decision's creator") == true, "\(String(describing: misdirected))")

                // dr-bob breaks the glass on patient-1's record at HospitalB; patient-1 hears of it at HospitalA's node.
                let emergency = try await network.withRecords("dr-bob", at: "HospitalB") {
                    try await $0.openRecord(labID, purpose: "ETREAT", justification: "unconscious in the emergency room")
                }
                #expect(emergency.decision.outcome == .permit && emergency.plaintext == lab, "\(emergency.decision)")
                let alerted = try await withThrowingTaskGroup(of: String?.self) { group in
                    group.addTask {
                        try await network.withRecords("patient-1", at: "HospitalA") { patient in
                            try await patient.watchBreakGlass(patientID: "P-001", fromBlock: 0) { $0.txID != emergency.txID }
                        }
                        return emergency.txID
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(20))
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? nil
                }
                #expect(alerted == emergency.txID, "patient-1's home node delivers the break-glass alert")

                // HospitalA's node down: dr-bob still opens patient-3's record from HospitalB's replica and key copy.
                try await network.withRecords("patient-3", at: "HospitalB") {
                    _ = try await $0.grantConsent(ConsentDraft(patientID: "P-003", grantee: Grantee(kind: .organization, mspID: "HospitalBMSP")))
                }
                #expect(network.process(hospitalA.peer).send(SIGKILL))
                let opened = try await eventually(timeout: .seconds(20)) {
                    try await network.withRecords("dr-bob", at: "HospitalB") { try await $0.openRecord(visitID, purpose: "TREAT") }
                }
                #expect(opened.decision.outcome == .permit && opened.plaintext == visit, "\(opened.decision)")

                // The research export at PharmaCo's node, keys released by HospitalB's custodian.
                try await network.withRecords("researcher", at: "PharmaCo") {
                    try await $0.requestAccess(studyID: studyID, categories: ["lab"], description: "glucose across hospitals")
                }
                _ = try await eventually(timeout: .seconds(20)) {
                    try await network.withRecords("patient-3", at: "HospitalB") { try await $0.respond(toStudy: studyID, patientID: "P-003", approve: true) }
                }
                let export = try await eventually(timeout: .seconds(20)) {
                    let download = try await network.withRecords("researcher", at: "PharmaCo") { try await $0.exportStudy(studyID) }
                    guard download.resources == 1 else { throw NodeProcessLag(node: "PharmaCo") }
                    return download
                }
                let exported = String(decoding: export.ndjson, as: UTF8.self)
                for secret in ["P-003", added.cid, "Carol", visitID] {
                    #expect(!exported.contains(secret), "the export leaks \(secret)")
                }
                #expect(exported.contains("Observation"))

                // HospitalA back; patient-3's record erased: no key and no content left on any node.
                _ = try await network.command(["up"])
                try await network.withRecords("patient-3", at: "HospitalB") { try await $0.requestErasure(of: visitID) }
                try await eventually(timeout: .seconds(30)) {
                    _ = try await network.withRecords("hospitala-admin", at: "HospitalA") { try await $0.approveErasure(of: visitID) }
                }
                try await eventually(timeout: .seconds(30)) {
                    for organization in network.plan.organizations.map(\.name) {
                        guard try !network.holdsKey(of: cid, at: organization), try !network.holdsContent(cid, at: organization) else {
                            throw NodeProcessLag(node: organization)
                        }
                    }
                }
                _ = try await network.command(["down"])
                let tips = try await network.verifyEveryNode().values.compactMap { RunningNetwork.tip(of: "ehr", in: $0) }
                #expect(Set(tips).count == 1 && tips.count >= network.plan.organizations.count, "every node's ehr chain verifies to one tip: \(tips)")
            }
        }

        @Test func anotherOrganisationsNodeRelaysAKeyOnlyToTheReader() async throws {
            try await withNetwork { network in
                let hospitalA = network.organization("HospitalA")
                let lab = Data(#"{"resourceType":"Observation","status":"final","valueQuantity":{"value":4.4}}"#.utf8)
                let recordID = "RELAY-\(Int(Date().timeIntervalSince1970))"
                let permit = try await network.withRecords("dr-alice", at: "HospitalA") { alice in
                    try await alice.registerPatient("P-001", certificateDER: try network.certificate("patient-1"))
                    _ = try await alice.addRecord(.init(recordID: recordID, patientID: "P-001", resourceType: "Observation", category: "lab"), plaintext: lab)
                    return try await alice.openRecord(recordID, purpose: "TREAT")
                }
                #expect(permit.decision.outcome == .permit)
                let cid = try CID(try #require(permit.record?.cid))

                // HospitalB's node calls HospitalA's custodian for dr-alice's decision, as it does for a
                // reader who came to it: the key comes wrapped to dr-alice, whom only she can open.
                let nodeB = try TestUser.node(tlsDirectory: network.nodeDirectory(network.organization("HospitalB").peer).appendingPathComponent("tls"))
                let trustA = network.nodeDirectory(hospitalA.peer).appendingPathComponent("tls/ca.pem").path
                func release(to recipient: Data) async throws -> Medledger_V1_ReleaseKeyResponse {
                    try await withClient(address: ListeningAddress(host: "127.0.0.1", port: hospitalA.peer.port), trusting: trustA, as: nodeB) { client in
                        var request = Medledger_V1_ReleaseKeyRequest()
                        request.channelID = "ehr"
                        request.transactionID = permit.txID
                        request.recipientCertificate = recipient
                        return try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: callOptions())
                    }
                }
                let relayed = try await release(to: Data())
                let alice = try TestUser(folder: network.identity("dr-alice"))
                let aliceKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: alice.signer.key.rawRepresentation)
                _ = try KeyWrap.unwrap(relayed.wrappedKey, with: aliceKey, record: cid)
                let nodeKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: nodeB.signer.key.rawRepresentation)
                #expect(throws: (any Error).self, "HospitalB's node cannot open what it relays") { try KeyWrap.unwrap(relayed.wrappedKey, with: nodeKey, record: cid) }

                // Asked for the key wrapped to itself, or to HospitalA's own peer, it is refused by name.
                for recipient in [nodeB.signer.certificateDER, try TestUser.node(tlsDirectory: network.nodeDirectory(hospitalA.peer).appendingPathComponent("tls")).signer.certificateDER] {
                    let refused = await #expect(throws: RPCError.self) { try await release(to: recipient) }
                    #expect(refused?.code == .permissionDenied && refused?.message.contains("neither the decision's creator") == true, "\(String(describing: refused))")
                }
            }
        }
    }
}

extension RunningNetwork {
    /// Runs `body` with the health-record SDK acting as `user` at its own organisation's peer.
    @discardableResult
    func withRecords<Result: Sendable>(
        _ user: String, at organization: String, _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let folder = identity(user)
        let peer = self.organization(organization).peer
        let testUser = try TestUser(folder: folder)
        return try await withClient(address: ListeningAddress(host: "127.0.0.1", port: peer.port), trusting: folder.caPath, as: testUser) { client in
            try await body(HealthRecords(client: client, signer: testUser.signer, options: callOptions(timeout: .seconds(60))))
        }
    }

    /// The DER certificate of the identity `name`.
    func certificate(_ name: String) throws -> Data {
        Data(try identity(name).loadCertificate().derBytes)
    }

    /// Whether `organization`'s peer keeps any wrapped copy of `cid`'s key.
    func holdsKey(of cid: CID, at organization: String) throws -> Bool {
        let keys = nodeDirectory(self.organization(organization).peer).appendingPathComponent("keys", isDirectory: true)
        return try WrappedKeyStore(root: keys).hasAnyCopy(of: cid)
    }

    /// Whether `organization`'s peer keeps the root block of `cid`.
    func holdsContent(_ cid: CID, at organization: String) throws -> Bool {
        let blocks = nodeDirectory(self.organization(organization).peer).appendingPathComponent("content/blocks", isDirectory: true)
        return try FlatFSBlockStore(root: blocks).has(cid)
    }

    /// The CIDs `organization`'s peer pins, asked as `admin`.
    func pins(at organization: String, as admin: String) async throws -> [String] {
        try await withNodeClient(self.organization(organization).peer, as: "identities/\(admin)") { client in
            try await Medledger_V1_Content.Client(wrapping: client).listPins(Medledger_V1_ListPinsRequest(), options: callOptions()).pins.map(\.cid)
        }
    }
}
