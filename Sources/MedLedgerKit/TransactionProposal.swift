public import Foundation
public import Identity
public import Schema
internal import LedgerCore
internal import Wire

/// Builds and signs proposals the way a peer expects them: a fresh 32-byte nonce, the tx ID
/// derived from nonce and creator, the creator's certificate and the current time.
public enum TransactionProposal {
    /// The signed proposal for `function(args)` of `chaincode` on `channel`, and its tx ID.
    public static func make(
        channel: String, chaincode: String, function: String, args: [Data], transient: [String: Data] = [:],
        signer: RequestSigner, now: Date = Date()
    ) throws -> (signed: Medledger_V1_SignedProposal, txID: String) {
        let proposal = Medledger_V1_Proposal(
            channel: channel, chaincode: chaincode, function: function, args: args, transient: transient, creator: signer.certificateDER,
            at: now)
        return (try signer.sign(proposal), proposal.txID)
    }

    /// The endorse request for a signed proposal.
    public static func endorseRequest(_ signed: Medledger_V1_SignedProposal, txID: String, channel: String) -> Medledger_V1_EndorseRequest {
        var request = Medledger_V1_EndorseRequest()
        request.transactionID = txID
        request.channelID = channel
        request.proposedTransaction = signed
        return request
    }

    /// The submit request for an endorsed transaction, signed by `signer`.
    public static func submitRequest(
        _ endorsed: Medledger_V1_EndorseResponse, txID: String, channel: String, signer: RequestSigner
    ) throws -> Medledger_V1_SubmitRequest {
        guard var envelope = endorsed.preparedTransaction else {
            throw RequestSigningError.missingPreparedTransaction(txID)
        }
        envelope.signature = try signer.sign(envelope.payload)
        var request = Medledger_V1_SubmitRequest()
        request.transactionID = txID
        request.channelID = channel
        request.preparedTransaction = envelope
        return request
    }
}

/// Why a client could not build a request.
public enum RequestSigningError: Error, CustomStringConvertible {
    case missingPreparedTransaction(String)

    public var description: String {
        switch self {
        case .missingPreparedTransaction(let txID): "the endorse response for \(txID) has no prepared transaction"
        }
    }
}
