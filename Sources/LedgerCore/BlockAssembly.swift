public import Foundation
public import Identity
public import Schema
internal import Wire

/// Builds signed blocks: the header chained to the previous one, the orderer's signature over the
/// header hash, the validation codes, and the commit hash over the valid writes. The committer
/// and the genesis block use it, so there is one way a block is put together.
public enum BlockAssembly {
    /// The block after `previous` (nil: the genesis block) holding `envelopes` with their `codes`,
    /// and the state update it makes.
    public static func assemble(
        after previous: Medledger_V1_BlockHeader?, previousCommitHash: Data, envelopes: [Data],
        codes: [Medledger_V1_TxValidationCode], lastConfigBlock: UInt64, orderer: RequestSigner
    ) throws -> (block: Medledger_V1_Block, update: StateUpdate) {
        var data = Medledger_V1_BlockData()
        data.data = envelopes
        let header = BlockHashing.header(after: previous, data: data)
        var metadata = Medledger_V1_BlockMetadata()
        metadata.signer = orderer.certificateDER
        metadata.signature = try orderer.sign(BlockHashing.hash(of: header))
        metadata.validationCodes = codes
        metadata.lastConfigBlockNumber = lastConfigBlock
        var block = Medledger_V1_Block()
        block.header = header
        block.data = data
        block.metadata = metadata
        let update = try StateUpdate.derive(from: block)
        block.metadata?.commitHash = update.commitHash(previous: previousCommitHash)
        return (block, update)
    }

    /// The first block of a channel: one configuration transaction, created and signed by the
    /// orderer that creates the channel.
    public static func genesis(config: Medledger_V1_ChannelConfig, orderer: RequestSigner, now: Date) throws -> Medledger_V1_Block {
        var change = Medledger_V1_ConfigTransaction()
        change.nonce = Nonce.make()
        change.creator = orderer.certificateDER
        change.txID = TransactionID.compute(nonce: change.nonce, creator: change.creator)
        change.config = config
        change.timestamp = Medledger_V1_Timestamp(date: now)
        var transaction = Medledger_V1_Transaction()
        transaction.body = .configTransaction(change)
        let envelope = try orderer.envelope(transaction)
        return try assemble(
            after: nil, previousCommitHash: Data(), envelopes: [envelope.serializedData()], codes: [.valid],
            lastConfigBlock: 0, orderer: orderer
        ).block
    }

    /// The configuration a genesis block carries, if it is one.
    public static func genesisConfig(in block: Medledger_V1_Block) -> Medledger_V1_ChannelConfig? {
        guard let envelopes = block.data?.data, envelopes.count == 1,
            let envelope = try? Medledger_V1_Envelope(serializedData: envelopes[0]),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload),
            case .configTransaction(let change)? = transaction.body
        else { return nil }
        return change.config
    }
}
