import Foundation
import GRPCCore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing

extension MultiNodeNetwork {
    /// `ehr` on `network up`: a peer of the submitter's organisation and a peer of the home
    /// organisation of every patient a transaction touches endorse it; every node checks that on
    /// its own committed state, so a transaction about a patient that their home organisation did
    /// not endorse is invalid everywhere.
    @Suite("The patient's home organisation endorses every transaction about them", .serialized, .timeLimit(.minutes(5)))
    struct NetworkDataOwnerTests {
        @Test func theHomeOrganisationIsGatheredByTheSubmittersNodeAndAForgedTransactionWithoutItIsInvalid() async throws {
            try await withNetwork { network in
                let hospitalA = network.organization("HospitalA")
                let hospitalB = network.organization("HospitalB")
                let shown = try await runProcess([
                    RunningNetwork.executable, "channel", "show", "--channel", "ehr", "--address", hospitalA.peer.address,
                    "--identity", network.layout.identityDirectory("hospitala-admin").path,
                ]).requireSuccess()
                #expect(shown.contains("endorsement of ehr: creator.peer") && shown.contains("data owners also endorse: ehr: patient.mspID"), "\(shown)")

                // patient-3's home is HospitalB; dr-bob writes a record about them there.
                let run = String(Int(Date().timeIntervalSince1970 * 1000), radix: 36).uppercased()
                let recordID = "OWN-\(run)"
                try await network.withRecords("dr-bob", at: "HospitalB") { bob in
                    try await bob.registerPatient("P-003", certificateDER: try network.certificate("patient-3"))
                    _ = try await bob.addRecord(
                        .init(recordID: recordID, patientID: "P-003", resourceType: "Observation", category: "lab"), plaintext: Data("{}".utf8))
                }
                let open = #"{"purpose":"TREAT","recordID":"\#(recordID)"}"#

                // dr-alice asks HospitalA's peer to open it: HospitalA's node gathers HospitalB's endorsement.
                let denied = try await eventually(timeout: .seconds(20)) {
                    try await network.withGateway("dr-alice", at: "HospitalA") { try await $0.submit("ehr", "OpenRecord", [open]) }
                }
                #expect(denied.status.result == .valid, "the audited denial commits")
                let block = try await network.block(denied.status.blockNumber, of: "ehr", at: hospitalA.peer, as: hospitalA.admin)
                #expect(try NetworkEndorsementTests.endorsingOrganizations(of: denied.txID, in: block) == ["HospitalAMSP", "HospitalBMSP"])

                // dr-bob at his own node, about his own organisation's patient: HospitalB alone.
                let local = try await network.withGateway("dr-bob", at: "HospitalB") { try await $0.submit("ehr", "OpenRecord", [open]) }
                let localBlock = try await network.block(local.status.blockNumber, of: "ehr", at: hospitalB.peer, as: hospitalB.admin)
                #expect(try NetworkEndorsementTests.endorsingOrganizations(of: local.txID, in: localBlock) == ["HospitalBMSP"])

                // HospitalA's peer alone endorses the same call (a client naming only HospitalA): every node rejects it.
                let forged = try await network.withNodeClient(hospitalA.peer, as: "identities/dr-alice") { client in
                    let signer = try TestUser(folder: network.identity("dr-alice")).signer
                    let gateway = Medledger_V1_Gateway.Client(wrapping: client)
                    let (signed, txID) = try TransactionProposal.make(
                        channel: "ehr", chaincode: "ehr", function: "OpenRecord", args: [Data(open.utf8)], signer: signer)
                    var endorse = TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr")
                    endorse.endorsingOrganizations = ["HospitalAMSP"]
                    let endorsed = try await gateway.endorse(endorse, options: callOptions())
                    _ = try await gateway.submit(TransactionProposal.submitRequest(endorsed, txID: txID, channel: "ehr", signer: signer), options: callOptions())
                    var status = Medledger_V1_CommitStatusRequest()
                    status.transactionID = txID
                    status.channelID = "ehr"
                    return (txID, try await gateway.commitStatus(status, options: callOptions()))
                }
                #expect(forged.1.result == .endorsementPolicyFailure, "\(forged.1)")
                let judgedAtB = try await eventually(timeout: .seconds(20)) {
                    try await network.withNodeClient(hospitalB.peer, as: "identities/dr-bob") { client in
                        var status = Medledger_V1_CommitStatusRequest()
                        status.transactionID = forged.0
                        status.channelID = "ehr"
                        return try await Medledger_V1_Gateway.Client(wrapping: client).commitStatus(status, options: callOptions()).result
                    }
                }
                #expect(judgedAtB == .endorsementPolicyFailure, "HospitalB's node judges it the same on its own state")

                // With HospitalB's peer down nothing about its patient can be decided at HospitalA: UNAVAILABLE naming it.
                #expect(network.process(hospitalB.peer).send(SIGKILL))
                try await Task.sleep(for: .milliseconds(500))
                let refused = await #expect(throws: RPCError.self) {
                    try await network.withGateway("dr-alice", at: "HospitalA") { try await $0.submit("ehr", "OpenRecord", [open]) }
                }
                #expect(refused?.code == .unavailable && refused?.message.contains("HospitalBMSP") == true, "\(String(describing: refused))")

                try await network.command(["down"])
                let tips = try await network.verifyEveryNode(except: [hospitalB.peer.name]).values.compactMap { RunningNetwork.tip(of: "ehr", in: $0) }
                #expect(Set(tips).count == 1 && tips.count >= 3, "every node's ehr chain verifies (owner endorsements included) to one tip: \(tips)")
            }
        }
    }
}
