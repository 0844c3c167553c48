public import Foundation
public import Schema
internal import Wire

/// Rechecks an orderer's chain — ordered blocks, without peer metadata — from its genesis block:
/// canonical encoding, numbering, header hash chain, data hash and orderer signature
/// (`OrderedBlockCheck`). Peers' chains carry validation codes and are checked by `ChainVerifier`;
/// both end on the same header hashes when the network agrees.
public struct OrderedChainVerifier {
    /// The channel configuration in force after the blocks verified so far.
    public private(set) var context: ChannelContext?
    /// The configuration the newest verified block was validated under (before a configuration
    /// block's change applies).
    public private(set) var contextOfTip: ChannelContext?
    private var previous: Medledger_V1_BlockHeader?

    public init() {}

    /// The number of blocks verified so far.
    public var height: UInt64 { previous.map { $0.number + 1 } ?? 0 }

    /// The hash of the newest verified block's header (empty before the first block).
    public var tipHash: Data { previous.map(BlockHashing.hash(of:)) ?? Data() }

    /// Verifies the next block, given as the exact bytes an orderer's block store holds.
    public mutating func verify(_ bytes: Data) throws(ChainVerificationFailure) {
        _ = try verify(bytes, carryingPeerMetadata: false)
    }

    /// Verifies the next block; a peer's blocks carry its validation codes and commit hash, an
    /// orderer's must not. Returns the decoded block.
    mutating func verify(_ bytes: Data, carryingPeerMetadata: Bool) throws(ChainVerificationFailure) -> Medledger_V1_Block {
        let number = height
        func fail(_ reason: String) -> ChainVerificationFailure { ChainVerificationFailure(block: number, reason: reason) }
        guard let block = try? Medledger_V1_Block(serializedData: bytes) else { throw fail("the stored bytes do not decode as a Block") }
        guard block.serializedData() == bytes else {
            throw fail("the stored bytes are not the block's canonical encoding (altered or unknown fields)")
        }
        if number == 0 {
            guard let config = BlockAssembly.genesisConfig(in: block) else { throw fail("the genesis block holds no channel configuration") }
            do { context = try ChannelContext(config: config, configBlockNumber: 0) } catch { throw fail("\(error)") }
        }
        guard let context else { throw fail("no channel configuration precedes this block") }
        guard carryingPeerMetadata || (block.metadata?.validationCodes.isEmpty ?? true && block.metadata?.commitHash.isEmpty ?? true) else {
            throw fail("an orderer's block carries peer metadata (validation codes or a commit hash)")
        }
        contextOfTip = context
        self.context = try OrderedBlockCheck.check(block, follows: previous, context: context)
        previous = block.header
        return block
    }
}
