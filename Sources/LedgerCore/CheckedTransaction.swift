internal import Foundation
public import Schema

/// One transaction of a block after the checks that need no world state (decoding, signatures,
/// creator, tx ID, endorsement policy). `BlockValidator` then judges it against state, in order.
public struct CheckedTransaction: Sendable {
    /// The transaction ID, when the envelope decoded far enough to have one.
    public var txID: String?
    /// `.valid` if every stateless check passed; otherwise the first failure.
    public var code: Medledger_V1_TxValidationCode
    /// What failed, naming the certificate, signature or policy; nil when valid.
    public var reason: String?
    /// The read-write sets to check against state (endorser transactions only).
    public var readWriteSets: [Medledger_V1_ReadWriteSet]
    /// A configuration this transaction installs (config transactions only).
    public var config: Medledger_V1_ChannelConfig?
    /// The channel's data-owner rules for the transaction's chaincode: `BlockValidator` checks
    /// that a peer of every owner of what it reads or writes endorsed it.
    public var ownerRules: [Medledger_V1_DataOwnerRule] = []
    /// The organisations with a valid peer endorsement of the transaction.
    public var endorsingPeerOrganizations: Set<String> = []

    public init(
        txID: String?, code: Medledger_V1_TxValidationCode, reason: String? = nil,
        readWriteSets: [Medledger_V1_ReadWriteSet] = [], config: Medledger_V1_ChannelConfig? = nil
    ) {
        self.txID = txID
        self.code = code
        self.reason = reason
        self.readWriteSets = readWriteSets
        self.config = config
    }

    static func invalid(_ txID: String?, _ code: Medledger_V1_TxValidationCode, _ reason: String) -> Self {
        CheckedTransaction(txID: txID, code: code, reason: reason)
    }
}
