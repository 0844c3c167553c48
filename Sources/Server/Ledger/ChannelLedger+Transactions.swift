internal import Foundation
internal import LedgerCore
internal import LedgerStore
internal import Schema
internal import Wire

/// A committed endorser transaction as the ledger holds it: where it is, how it was judged, the
/// proposal the client signed and the response the peers endorsed.
struct CommittedTransaction: Sendable {
    var location: TransactionLocation
    var proposal: Medledger_V1_Proposal
    var response: Medledger_V1_Response
}

extension ChannelLedger {
    /// The committed transaction `txID`, read back from its block; nil if it has not committed
    /// (or is not an endorser transaction).
    func committedTransaction(_ txID: String) throws -> CommittedTransaction? {
        guard let location = try store.transaction(txID),
            let block = try store.blocks.block(location.blockNumber),
            let data = block.data?.data, location.position < data.count
        else { return nil }
        let envelope = try Medledger_V1_Envelope(serializedData: data[Int(location.position)])
        let transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else { return nil }
        let payload = try Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload)
        return CommittedTransaction(location: location, proposal: proposal, response: payload.response ?? .init())
    }

    /// The committed value of `key` in `namespace`, if any.
    func committedValue(namespace: String, key: String) throws -> Data? {
        try store.get(namespace: namespace, key: key)?.value
    }
}
