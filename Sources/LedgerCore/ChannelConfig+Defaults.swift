public import Schema

extension Medledger_V1_ChannelConfig {
    /// A genesis configuration of `organizations` in which one peer of any member endorses, a
    /// configuration change needs the admins of a majority of the members (`majorityOfAdmins`), and
    /// blocks use the default batching (`batch` nil) or `batch`.
    public static func anyPeerEndorses(
        channelID: String, organizations: [Medledger_V1_OrganizationConfig], batch: Medledger_V1_BatchParameters? = nil
    ) -> Self {
        var config = Self()
        config.channelID = channelID
        config.organizations = organizations
        config.defaultEndorsementPolicy = .anyOf(organizations.map { .signedBy($0.mspID, role: .peer) })
        config.adminPolicy = .majorityOfAdmins(organizations.map(\.mspID))
        config.batch = batch
        return config
    }

    /// Makes `chaincode` endorsed by a peer of the submitter's own organisation and, through
    /// `owners` (data-owner rules of that chaincode), a peer of every organisation owning the data
    /// a transaction reads or writes — `ehr` on a network of nodes: the submitter's organisation
    /// and the patient's home organisation.
    public mutating func endorseBySubmitterAndOwners(_ chaincode: String, owners: [Medledger_V1_DataOwnerRule]) {
        endorsementPolicies[chaincode] = .signedByCreatorOrganization(role: .peer)
        dataOwnerRules.removeAll { $0.chaincode == chaincode }
        dataOwnerRules += owners
    }
}

extension Medledger_V1_EndorsementPolicy {
    /// An admin of more than half of `mspIDs`: the default admin policy, as Fabric's
    /// `MAJORITY Admins`.
    public static func majorityOfAdmins(_ mspIDs: [String]) -> Self {
        .outOf(mspIDs.count / 2 + 1, mspIDs.map { .signedBy($0, role: .admin) })
    }
}
