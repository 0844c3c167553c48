import CertificateAuthority
import Foundation
import GRPCCore
import Identity
import LedgerCore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing
import Wire

/// Channel configuration updates against `medledger serve` as a process, over mTLS: HospitalA's
/// node and HospitalB share channel "ehr", whose admin policy needs both their admins. PharmaCo is
/// added by an approved update, survives a restart, and is removed again; an update with too few
/// approvals or of an old sequence is refused naming why, and writes nothing.
@Suite("Channel configuration updates over gRPC", .timeLimit(.minutes(4)))
struct ChannelConfigUpdateTests {
    static let channel = "ehr"

    struct Members {
        let adminA: TestUser
        let adminB: TestUser
        let analyst: TestUser
        let pharma: OrganizationCA
    }

    @Test func anApprovedUpdateAddsAndRemovesAnOrganisationAndOneWithTooFewApprovalsWritesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        var node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "start-0", mspID: "HospitalAMSP")
        let hospitalB = try makeOrganization("HospitalBMSP")
        let pharma = try makeOrganization("PharmaCoMSP")
        let members = Members(
            adminA: try TestUser(folder: node.admin), adminB: try TestUser(hospitalB, "admin.b", .admin),
            analyst: try TestUser(pharma, "analyst", .researcher), pharma: pharma)
        let genesis = channelConfig(Self.channel, organizations: [try node.channelOrganization(), try hospitalB.channelOrganization()])
        #expect(genesis.adminPolicy?.summary == "OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin)")
        try await createChannel(address: node.address, trusting: node.caCertificatePath, as: members.adminA, genesis)

        // Before the update PharmaCo is no member.
        let outsider = await #expect(throws: RPCError.self) { try await put(on: node, as: members.analyst, key: "early") }
        #expect(outsider?.code == .unauthenticated, "a member of no channel of the node cannot authenticate")

        var next = genesis
        next.sequence = 1
        next.organizations.append(try pharma.channelOrganization())
        var batch = Medledger_V1_BatchParameters()
        batch.maxMessageCount = 7
        next.batch = batch

        // HospitalA alone is not a majority of two: refused, naming the policy and who approved.
        let height = try await channelHeight(on: node, as: members.adminA)
        let alone = await #expect(throws: RPCError.self) { try await update(on: node, next, creator: members.adminA, approvers: []) }
        #expect(alone?.code == .permissionDenied)
        #expect(alone?.message.contains("admin policy OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin) is not satisfied") == true, "\(String(describing: alone))")
        #expect(alone?.message.contains("approved by [admin@HospitalAMSP") == true, "\(String(describing: alone))")
        var skipping = next
        skipping.sequence = 2
        let stale = await #expect(throws: RPCError.self) {
            try await update(on: node, skipping, creator: members.adminA, approvers: [members.adminB])
        }
        #expect(stale?.code == .failedPrecondition)
        #expect(stale?.message.contains("the next change must be 1") == true, "\(String(describing: stale))")
        #expect(try await channelHeight(on: node, as: members.adminA) == height, "a refused update writes no block")
        #expect(try await currentConfig(on: node, as: members.adminA).config?.sequence == 0)

        // Approved by both, it commits in a block of its own and applies from the next block.
        let updated = try await update(on: node, next, creator: members.adminA, approvers: [members.adminB])
        #expect(updated.config?.sequence == 1)
        #expect(updated.configBlockNumber == height)
        #expect(try await currentConfig(on: node, as: members.adminB).config == next)
        #expect(try await put(on: node, as: members.analyst, key: "joined") == .valid)

        // The configuration in force survives a restart.
        #expect(await node.stop(SIGTERM) == 0, "\(node.log)")
        node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "start-1", mspID: "HospitalAMSP")
        let reopened = try await currentConfig(on: node, as: members.adminA)
        #expect(reopened.config?.sequence == 1)
        #expect(reopened.configBlockNumber == height)
        #expect(try await put(on: node, as: members.analyst, key: "after-restart") == .valid)

        // PharmaCo removed again (sequence 2): its analyst is refused from the next block on.
        var without = next
        without.sequence = 2
        without.organizations.removeAll { $0.mspID == "PharmaCoMSP" }
        try await update(on: node, without, creator: members.adminB, approvers: [members.adminA])
        let removed = await #expect(throws: RPCError.self) { try await put(on: node, as: members.analyst, key: "removed") }
        #expect(removed?.code == .unauthenticated, "\(String(describing: removed))")

        #expect(await node.stop(SIGTERM) == 0, "\(node.log)")
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "\(verified.summary)")
        #expect(verified.standardOutput.contains("chain and state verified"), "\(verified.summary)")
    }

    /// Submits `config` with the approvals of `approvers`, created by `creator`.
    @discardableResult
    func update(
        on node: NodeProcess, _ config: Medledger_V1_ChannelConfig, creator: TestUser, approvers: [TestUser]
    ) async throws -> Medledger_V1_UpdateChannelConfigResponse {
        let approvals = try approvers.map { try ConfigUpdate.approve(config, by: $0.signer) }
        var request = Medledger_V1_UpdateChannelConfigRequest()
        request.envelope = try ConfigUpdate.envelope(config: config, approvals: approvals, creator: creator.signer).serializedData()
        return try await withClient(address: node.address, trusting: node.caCertificatePath, as: creator) { client in
            try await Medledger_V1_Admin.Client(wrapping: client).updateChannelConfig(request, options: callOptions())
        }
    }

    func currentConfig(on node: NodeProcess, as admin: TestUser) async throws -> Medledger_V1_GetChannelConfigResponse {
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: admin) { client in
            var request = Medledger_V1_GetChannelConfigRequest()
            request.channelID = Self.channel
            return try await Medledger_V1_Admin.Client(wrapping: client).getChannelConfig(request, options: callOptions())
        }
    }

    func channelHeight(on node: NodeProcess, as admin: TestUser) async throws -> UInt64 {
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: admin) { client in
            let channels = try await Medledger_V1_Admin.Client(wrapping: client).listChannels(.init(), options: callOptions()).channels
            return channels.first { $0.channelID == Self.channel }?.height ?? 0
        }
    }

    /// `asset Put(key)` by `user`; the commit's validation code.
    func put(on node: NodeProcess, as user: TestUser, key: String) async throws -> Medledger_V1_TxValidationCode {
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: user) { client in
            let gateway = LedgerGateway(client: client, signer: user.signer, channel: Self.channel, options: callOptions())
            return try await gateway.submit("asset", "Put", [key, "1"]).status.result
        }
    }
}
