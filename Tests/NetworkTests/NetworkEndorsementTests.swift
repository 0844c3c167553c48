import Foundation
import GRPCCore
import Identity
import LedgerCore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing
import Wire
import X509
import SwiftASN1

extension MultiNodeNetwork {
    /// Endorsement across organisations' nodes, in the shape of Fabric's Gateway: a client calls
    /// its own organisation's peer only; when the chaincode's policy needs another organisation,
    /// that peer gathers the endorsement from a peer of it.
    @Suite("Endorsement across organisations' nodes", .serialized, .timeLimit(.minutes(5)))
    struct NetworkEndorsementTests {
        @Test func aPolicyNeedingBothHospitalsIsMetThroughTheClientsOwnPeerAndFailsByNameWhenTheOtherIsDown() async throws {
            try await withNetwork { network in
                let hospitalA = network.organization("HospitalA")
                let hospitalB = network.organization("HospitalB")
                // Channel hospitals: asset transactions now need a peer of each hospital.
                var next = try #require(try await network.config(of: "hospitals", at: hospitalA.peer, as: hospitalA.admin).config)
                next.sequence += 1
                next.endorsementPolicies["asset"] = .allOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)])
                let updated = try await network.update(next, at: hospitalA.peer, creator: hospitalA.admin, approvers: [hospitalB.admin])
                _ = try await eventually {
                    let seen = try await network.config(of: "hospitals", at: hospitalB.peer, as: hospitalB.admin)
                    guard seen.configBlockNumber == updated.configBlockNumber else { throw NodeProcessLag(node: hospitalB.peer.name) }
                    return seen
                }

                // dr-alice calls HospitalA's peer only; it gathers HospitalB's endorsement itself.
                let committed = try await network.withGateway("dr-alice", at: "HospitalA", channel: "hospitals") { gateway in
                    try await gateway.submit("asset", "Put", ["both-hospitals", "endorsed twice"])
                }
                #expect(committed.status.result == .valid)
                let block = try await network.block(committed.status.blockNumber, of: "hospitals", at: hospitalA.peer, as: hospitalA.admin)
                let endorsers = try Self.endorsingOrganizations(of: committed.txID, in: block)
                #expect(endorsers == ["HospitalAMSP", "HospitalBMSP"], "the transaction carries both hospitals' endorsements")
                let read = try await eventually {
                    try await network.withGateway("dr-bob", at: "HospitalB", channel: "hospitals") { gateway in
                        String(decoding: try await gateway.evaluate("asset", "Get", ["both-hospitals"]).payload, as: UTF8.self)
                    }
                }
                #expect(read == "endorsed twice")

                // With HospitalB's peer down the policy cannot be met: UNAVAILABLE naming it.
                #expect(network.process(hospitalB.peer).send(SIGKILL))
                try await Task.sleep(for: .milliseconds(500))
                let refused = await #expect(throws: RPCError.self) {
                    try await network.withGateway("dr-alice", at: "HospitalA", channel: "hospitals") { gateway in
                        try await gateway.submit("asset", "Put", ["while-b-is-down", "v"])
                    }
                }
                #expect(refused?.code == .unavailable)
                #expect(
                    refused?.message.contains("no peer of HospitalBMSP could endorse") == true
                        && refused?.message.contains(hospitalB.peer.address) == true,
                    "\(String(describing: refused))")

                // Contract asset on channel ehr keeps the default any-peer policy: HospitalA's peer endorses alone.
                let alone = try await network.withGateway("dr-alice", at: "HospitalA") { gateway in
                    try await gateway.submit("asset", "Put", ["ehr-while-b-is-down", "v"])
                }
                #expect(alone.status.result == .valid)
                try await network.command(["down"])
                let outputs = try await network.verifyEveryNode(except: [hospitalB.peer.name])
                let hospitalsTips = outputs.values.compactMap { RunningNetwork.tip(of: "hospitals", in: $0) }
                #expect(hospitalsTips.count == 3 && Set(hospitalsTips).count == 1, "HospitalA's peer and both hospitals' orderers: \(outputs)")
            }
        }

        @Test func twoPeersThatSimulatedDifferentResultsAreAbortedByName() async throws {
            try await withNetwork { network in
                let hospitalA = network.organization("HospitalA")
                let hospitalB = network.organization("HospitalB")
                try await network.withGateway("dr-alice", at: "HospitalA", channel: "hospitals") { _ = try await $0.submit("asset", "Put", ["scan", "v1"]) }
                _ = try await eventually(timeout: .seconds(20)) {
                    try await network.withGateway("dr-bob", at: "HospitalB", channel: "hospitals") { gateway in
                        guard try await gateway.evaluate("asset", "Get", ["scan"]).payload == Data("v1".utf8) else { throw NodeProcessLag(node: "HospitalB") }
                    }
                }
                // HospitalB's peer misses v2: down while it commits, and restarted while the hospitals'
                // orderers are paused, so it cannot catch up.
                let peerB = network.process(hospitalB.peer)
                let pid = try #require(peerB.runningPID())
                let arguments = try String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8).split(separator: "\0").map(String.init)
                #expect(peerB.send(SIGKILL))
                try await network.withGateway("dr-alice", at: "HospitalA", channel: "hospitals") { _ = try await $0.submit("asset", "Put", ["scan", "v2"]) }
                let orderers = [hospitalA.orderer, hospitalB.orderer].compactMap { $0 }.map { network.process($0) }
                for orderer in orderers { #expect(orderer.send(SIGSTOP)) }
                defer { for orderer in orderers { orderer.send(SIGCONT) } }
                var restarted = peerB
                restarted.arguments = arguments
                try restarted.start()
                try await restarted.waitUntilListening(name: hospitalB.peer.name, port: hospitalB.peer.port, timeout: .seconds(60))

                // dr-alice asks both hospitals to endorse a read of the key: their results differ.
                let aborted = await #expect(throws: RPCError.self) {
                    try await network.withNodeClient(hospitalA.peer, as: "identities/dr-alice") { client in
                        let signer = try TestUser(folder: network.identity("dr-alice")).signer
                        let (signed, txID) = try TransactionProposal.make(
                            channel: "hospitals", chaincode: "asset", function: "Get", args: [Data("scan".utf8)], signer: signer)
                        var request = TransactionProposal.endorseRequest(signed, txID: txID, channel: "hospitals")
                        request.endorsingOrganizations = ["HospitalAMSP", "HospitalBMSP"]
                        return try await Medledger_V1_Gateway.Client(wrapping: client).endorse(request, options: callOptions())
                    }
                }
                #expect(aborted?.code == .aborted, "\(String(describing: aborted))")
                #expect(
                    aborted?.message.contains(hospitalB.peer.address) == true && aborted?.message.contains(hospitalA.peer.address) == true,
                    "ABORTED names both peers: \(String(describing: aborted))")

                // The orderers resume; HospitalB's peer catches up and the chains agree.
                for orderer in orderers { orderer.send(SIGCONT) }
                _ = try await eventually(timeout: .seconds(30)) {
                    try await network.withGateway("dr-bob", at: "HospitalB", channel: "hospitals") { gateway in
                        guard try await gateway.evaluate("asset", "Get", ["scan"]).payload == Data("v2".utf8) else { throw NodeProcessLag(node: "HospitalB") }
                    }
                }
                try await network.command(["down"])
                let tips = try await network.verifyEveryNode().values.compactMap { RunningNetwork.tip(of: "hospitals", in: $0) }
                #expect(tips.count == 4 && Set(tips).count == 1, "both hospitals' peers and orderers agree: \(tips)")
            }
        }

        /// The MSP IDs of the endorsers of transaction `txID` in `block`, sorted.
        static func endorsingOrganizations(of txID: String, in block: Medledger_V1_Block) throws -> [String] {
            for bytes in block.data?.data ?? [] {
                let envelope = try Medledger_V1_Envelope(serializedData: bytes)
                let transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
                guard case .endorserTransaction(let endorsed)? = transaction.body, endorsed.proposal?.txID == txID else { continue }
                // Each organisation's CA names its MSP ID as the organisation (O=) of its subject,
                // which is the issuer of the certificates it signs.
                return try endorsed.endorsements.map { endorsement in
                    let certificate = try Certificate(derEncoded: Array(endorsement.endorser))
                    return Membership.values(of: .RDNAttributeType.organizationName, in: certificate.issuer).first ?? "?"
                }.sorted()
            }
            return []
        }
    }
}

extension RunningNetwork {
    /// Block `number` of `channel` from `node`, read whole as an admin.
    func block(_ number: UInt64, of channel: String, at node: NetworkPlan.Node, as admin: String) async throws -> Medledger_V1_Block {
        try await withNodeClient(node, as: admin) { client in
            var request = Medledger_V1_DeliverRequest()
            request.channelID = channel
            request.start = .block(number)
            request.stop = .block(number)
            return try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: callOptions()) { response in
                for try await message in response.messages { if let block = message.block { return block } }
                return Medledger_V1_Block()
            }
        }
    }
}
