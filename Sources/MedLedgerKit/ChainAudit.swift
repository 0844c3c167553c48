internal import Foundation
public import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire

/// What an auditor learns by re-verifying a channel's chain from its blocks.
public struct ChainAuditReport: Sendable {
    public var channel: String
    /// Blocks verified, genesis included.
    public var height: UInt64
    public var transactions: Int
    public var validTransactions: Int
    /// Hex hash of the genesis header: compare it with the value the channel's members agreed on.
    public var genesisHash: String
    /// Hex hash of the newest verified header.
    public var tipHash: String
}

/// An auditor's check of a channel from outside the node: every block streamed over `Deliver`
/// is re-verified client-side (header chain, data hash, orderer signature, every transaction's
/// signatures and endorsement policy, validation codes and state recomputed), so the node's own
/// word is not trusted beyond the genesis block.
public enum ChainAudit {
    /// Verifies `channel` from genesis to the newest block; throws the first failure, naming the block.
    /// `progress`, if given, is called after each verified block with the number verified so far.
    public static func verify<Transport: ClientTransport>(
        client: GRPCClient<Transport>, channel: String, knownChaincodes: Set<String>, options: CallOptions = .defaults,
        progress: (@Sendable (UInt64) async -> Void)? = nil
    ) async throws -> ChainAuditReport {
        var request = Medledger_V1_DeliverRequest()
        request.channelID = channel
        var start = Medledger_V1_SeekPosition()
        start.position = .oldest(.init())
        var stop = Medledger_V1_SeekPosition()
        stop.position = .newest(.init())
        request.start = start
        request.stop = stop
        return try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request: ClientRequest(message: request), options: options) { response in
            var verifier = ChainVerifier(knownChaincodes: knownChaincodes)
            var genesis = Data()
            var tip = Data()
            for try await message in response.messages {
                guard let block = message.block, let header = block.header else { continue }
                try verifier.verify(block.serializedData())
                if header.number == 0 { genesis = BlockHashing.hash(of: header) }
                tip = BlockHashing.hash(of: header)
                await progress?(verifier.height)
            }
            return ChainAuditReport(
                channel: channel, height: verifier.height, transactions: verifier.transactionCount,
                validTransactions: verifier.validCount, genesisHash: Hex.encode(genesis), tipHash: Hex.encode(tip))
        }
    }
}
