internal import CertificateAuthority
internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LocalNetwork
internal import Logging
internal import Schema
internal import Server
internal import Wire

/// Lays out a new local network the first time `network up` runs: each organisation's CA (in
/// its peer's data directory, as `serve` expects), its bootstrap admin and the demo identities,
/// the orderers' identities and TLS certificates issued by their organisations' CAs, and a
/// genesis block per channel naming every member's peer and orderer addresses, approved by every
/// member's admin and signed by the first orderer.
struct NetworkProvisioning {
    let layout: NetworkLayout
    let plan: NetworkPlan
    let logger: Logger

    private var directory: URL { layout.directory }

    private func nodeDirectory(_ node: NetworkPlan.Node) -> URL { layout.nodeDirectory(node) }

    private func genesisFile(_ channel: String) -> URL { layout.genesisFile(channel) }

    private func identity(_ name: String) -> IdentityFolder { IdentityFolder(directory: layout.identityDirectory(name)) }

    /// Creates whatever is missing.
    func provision() throws {
        var organizations: [String: Medledger_V1_OrganizationConfig] = [:]
        var firstOrderer: RequestSigner?
        for organization in plan.organizations {
            let bootstrap = OrganizationBootstrap(
                dataDirectory: nodeDirectory(organization.peer), mspID: organization.mspID,
                adminDirectory: directory.appendingPathComponent(organization.admin, isDirectory: true))
            let (ca, _) = try bootstrap.openOrCreate(logger: logger)
            for demo in DevNetwork.demoIdentities where demo.role != .admin && DevNetwork.mspID(of: demo.organization) == organization.mspID {
                try DevNetwork.enrollIfMissing(demo, folder: identity(demo.name), ca: ca)
            }
            if let orderer = organization.orderer {
                let ordererDirectory = nodeDirectory(orderer)
                try OrdererNode.provision(dataDirectory: ordererDirectory, ca: ca, enrollmentID: orderer.name, hostnames: [])
                if firstOrderer == nil { firstOrderer = try OrdererNode.identityFolder(in: ordererDirectory).loadSigner() }
            }
            var config = try ca.channelOrganization()
            config.peerEndpoints = [organization.peer.address]
            config.ordererEndpoints = organization.orderer.map { [$0.address] } ?? []
            organizations[organization.name] = config
        }
        guard let firstOrderer else { throw LocalNetworkError.files("the network plan names no orderer") }
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("channels", isDirectory: true), withIntermediateDirectories: true)
        for channel in plan.channels where !FileManager.default.fileExists(atPath: genesisFile(channel.id).path) {
            var batch = Medledger_V1_BatchParameters()
            batch.maxMessageCount = 500
            // Blocks go through etcd, whose requests are limited to 1.5 MiB: a block closes at
            // 512 KiB and no transaction is larger, so none exceeds 1 MiB.
            batch.preferredMaxBytes = 512 * 1024
            batch.absoluteMaxBytes = 512 * 1024
            batch.batchTimeoutMillis = 50
            var config = Medledger_V1_ChannelConfig.anyPeerEndorses(
                channelID: channel.id, organizations: channel.members.compactMap { organizations[$0] }, batch: batch)
            // Health records: the submitter's organisation and each patient's home organisation endorse.
            config.endorseBySubmitterAndOwners(EHRContract.contractName, owners: EHRContract.dataOwners)
            // Every member's admin approves the channel, as nodes that join from the block require.
            let approvals = try channel.members.compactMap { member in plan.organizations.first { $0.name == member || $0.mspID == member } }
                .map { try ConfigUpdate.approve(config, by: IdentityFolder(directory: directory.appendingPathComponent($0.admin, isDirectory: true)).loadSigner()) }
            let genesis = try BlockAssembly.genesis(config: config, orderer: firstOrderer, approvals: approvals, now: Date())
            try genesis.serializedData().write(to: genesisFile(channel.id), options: .atomic)
        }
    }
}
