public import Schema

extension Medledger_V1_ChannelConfig {
    /// A genesis configuration of `organizations` in which one peer of any member endorses, one
    /// admin of any member may change the configuration, and blocks use the default batching
    /// (`batch` nil) or `batch`.
    public static func anyPeerEndorses(
        channelID: String, organizations: [Medledger_V1_OrganizationConfig], batch: Medledger_V1_BatchParameters? = nil
    ) -> Self {
        var config = Self()
        config.channelID = channelID
        config.organizations = organizations
        config.defaultEndorsementPolicy = .anyOf(organizations.map { .signedBy($0.mspID, role: .peer) })
        config.adminPolicy = .anyOf(organizations.map { .signedBy($0.mspID, role: .admin) })
        config.batch = batch
        return config
    }
}
