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
}

extension Medledger_V1_EndorsementPolicy {
    /// An admin of more than half of `mspIDs`: the default admin policy, as Fabric's
    /// `MAJORITY Admins`.
    public static func majorityOfAdmins(_ mspIDs: [String]) -> Self {
        .outOf(mspIDs.count / 2 + 1, mspIDs.map { .signedBy($0, role: .admin) })
    }
}
