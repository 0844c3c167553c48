public import Foundation
public import Schema
internal import Identity

extension Medledger_V1_Proposal {
    /// A new proposal to call `function` of `chaincode` on `channel`, created by the identity
    /// whose DER certificate is `creator` at `time`: a fresh nonce, and the tx ID derived from it.
    public init(
        channel: String, chaincode: String, function: String, args: [Data], transient: [String: Data] = [:], creator: Data,
        at time: Date
    ) {
        self.init()
        channelID = channel
        chaincodeName = chaincode
        var input = Medledger_V1_ChaincodeInput()
        input.function = function
        input.args = args
        self.input = input
        nonce = Nonce.make()
        self.creator = creator
        txID = TransactionID.compute(nonce: nonce, creator: creator)
        timestamp = Medledger_V1_Timestamp(date: time)
        self.transient = transient
    }
}
