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

extension MultiNodeNetwork {
    /// A channel configuration update on the multi-node network: ordered like any transaction in a
    /// block of its own, applied at that block by every peer and every orderer.
    @Suite("Network configuration updates", .serialized, .timeLimit(.minutes(5)))
    struct NetworkConfigUpdateTests {
        @Test func anUpdateApprovedByAMajorityOfAdminsAppliesOnEveryNodeAndOneAdminAloneWritesNothing() async throws {
            try await withNetwork { network in
                let channel = try #require(network.plan.channels.first { $0.id == "ehr" })
                let members = network.plan.organizations.filter { channel.members.contains($0.mspID) || channel.members.contains($0.name) }
                #expect(members.count == 4, "\(channel.members)")
                let hospitalA = network.organization("HospitalA")
                let current = try #require(try await network.config(of: "ehr", at: hospitalA.peer, as: hospitalA.admin).config)
                #expect(current.sequence == 0)
                #expect(current.adminPolicy?.summary.hasPrefix("OutOf(3, ") == true, "\(current.adminPolicy?.summary ?? "")")

                var next = current
                next.sequence = 1
                var batch = next.batch ?? .init()
                batch.maxMessageCount = 7
                next.batch = batch

                // One admin of four is no majority: refused by HospitalA's peer, naming the policy.
                let height = try await network.height(of: "ehr", at: hospitalA.peer, as: hospitalA.admin)
                let alone = await #expect(throws: RPCError.self) {
                    try await network.update(next, at: hospitalA.peer, creator: hospitalA.admin, approvers: [])
                }
                #expect(alone?.code == .permissionDenied)
                #expect(alone?.message.contains("admin policy OutOf(3, ") == true, "\(String(describing: alone))")
                #expect(alone?.message.contains("approved by [hospitala-admin@HospitalAMSP (admin") == true, "\(String(describing: alone))")

                // HospitalA, HospitalB and the Regulator are a majority.
                let approvers = ["HospitalB", "Regulator"].map { network.organization($0).admin }
                let updated = try await network.update(next, at: hospitalA.peer, creator: hospitalA.admin, approvers: approvers)
                #expect(updated.config?.sequence == 1)
                #expect(updated.configBlockNumber == height, "the refused update wrote no block; the approved one is the next")

                // Every peer and every orderer applies it at that block.
                for organization in members {
                    for node in [organization.peer] + (organization.orderer.map { [$0] } ?? []) {
                        let seen = try await eventually {
                            let response = try await network.config(of: "ehr", at: node, as: organization.admin)
                            guard response.config?.sequence == 1 else { throw NodeProcessLag(node: node.name) }
                            return response
                        }
                        #expect(seen.configBlockNumber == updated.configBlockNumber, "\(node.name)")
                        #expect(seen.config?.batch?.maxMessageCount == 7, "\(node.name)")
                    }
                }

                // Transactions go on under the new configuration.
                let committed = try await network.withGateway("dr-bob", at: "HospitalB") { gateway in
                    try await gateway.submit("asset", "Put", ["after-update", "v"])
                }
                #expect(committed.status.result == .valid)
                #expect(committed.status.blockNumber > updated.configBlockNumber)
                try await network.expectConsistentAfterDown(acknowledged: [committed.txID])
            }
        }
    }
}

/// A node has not applied the update yet.
struct NodeProcessLag: Error {
    let node: String
}

extension RunningNetwork {
    func config(of channel: String, at node: NetworkPlan.Node, as admin: String) async throws -> Medledger_V1_GetChannelConfigResponse {
        try await withNodeClient(node, as: admin) { client in
            var request = Medledger_V1_GetChannelConfigRequest()
            request.channelID = channel
            return try await Medledger_V1_Admin.Client(wrapping: client).getChannelConfig(request, options: callOptions())
        }
    }

    func height(of channel: String, at node: NetworkPlan.Node, as admin: String) async throws -> UInt64 {
        try await withNodeClient(node, as: admin) { client in
            let channels = try await Medledger_V1_Admin.Client(wrapping: client).listChannels(.init(), options: callOptions()).channels
            return channels.first { $0.channelID == channel }?.height ?? 0
        }
    }

    /// Sends `config` to `node` with the approvals of the admins `approvers` (identity folders),
    /// created by the admin `creator`.
    @discardableResult
    func update(
        _ config: Medledger_V1_ChannelConfig, at node: NetworkPlan.Node, creator: String, approvers: [String]
    ) async throws -> Medledger_V1_UpdateChannelConfigResponse {
        func signer(_ folder: String) throws -> RequestSigner {
            try TestUser(folder: IdentityFolder(directory: directory.appendingPathComponent(folder, isDirectory: true))).signer
        }
        let approvals = try approvers.map { try ConfigUpdate.approve(config, by: try signer($0)) }
        var request = Medledger_V1_UpdateChannelConfigRequest()
        request.envelope = try ConfigUpdate.envelope(config: config, approvals: approvals, creator: try signer(creator)).serializedData()
        return try await withNodeClient(node, as: creator) { client in
            try await Medledger_V1_Admin.Client(wrapping: client).updateChannelConfig(request, options: callOptions())
        }
    }
}
