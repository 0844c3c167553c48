public import Foundation
internal import Identity
internal import Schema
internal import Wire

/// Rechecks a channel's chain from its genesis block, one stored block at a time: canonical
/// encoding, numbering, the header hash chain, the data hash, the orderer's signature, every
/// transaction's signatures and endorsements (by validating it again and comparing the recorded
/// validation code), and the commit hash — rebuilding world state from the blocks as it goes.
///
/// The first failure is thrown as a `ChainVerificationFailure` naming the block.
public struct ChainVerifier {
    /// World state recomputed from the blocks verified so far.
    public let state = InMemoryState()
    /// Transactions seen and how many were valid.
    public private(set) var transactionCount = 0
    public private(set) var validCount = 0

    private let knownChaincodes: Set<String>
    /// The checks of the ordered part: encoding, numbering, hashes, orderer signature.
    private var ordered = OrderedChainVerifier()
    private var previousCommitHash = Data()

    public init(knownChaincodes: Set<String>) {
        self.knownChaincodes = knownChaincodes
    }

    /// The number of blocks verified so far.
    public var height: UInt64 { ordered.height }

    /// The hash of the newest verified block's header (empty before the first block): equal on
    /// every node that holds the same chain.
    public var tipHash: Data { ordered.tipHash }

    /// Verifies the next block, given as the exact bytes the block store holds.
    public mutating func verify(_ bytes: Data) throws(ChainVerificationFailure) {
        let number = height
        func fail(_ reason: String) -> ChainVerificationFailure { ChainVerificationFailure(block: number, reason: reason) }

        let block = try ordered.verify(bytes, carryingPeerMetadata: true)
        guard let context = ordered.contextOfTip, let metadata = block.metadata else { throw fail("the block's metadata is missing") }
        let data = block.data ?? .init()

        let validator = TransactionValidator(channel: context, knownChaincodes: knownChaincodes)
        let checked = data.data.map { validator.check($0, blockNumber: number) }
        let codes: [Medledger_V1_TxValidationCode]
        do { codes = try BlockValidator().finish(checked, state: state) } catch { throw fail("\(error)") }
        guard metadata.validationCodes.count == codes.count else {
            throw fail("\(metadata.validationCodes.count) validation codes for \(codes.count) transactions")
        }
        for (index, (recorded, recomputed)) in zip(metadata.validationCodes, codes).enumerated() where recorded != recomputed {
            let why = checked[index].reason.map { ": \($0)" } ?? ""
            throw fail("transaction \(index) is recorded as \(recorded) but validates as \(recomputed)\(why)")
        }
        let update: StateUpdate
        do { update = try StateUpdate.derive(from: block) } catch { throw fail("\(error)") }
        let commitHash = update.commitHash(previous: previousCommitHash)
        guard metadata.commitHash == commitHash else { throw fail("commit_hash does not match the block's valid writes") }
        do { try state.apply(update) } catch { throw fail("\(error)") }

        previousCommitHash = commitHash
        transactionCount += codes.count
        validCount += codes.filter { $0 == .valid }.count
    }
}

/// The first block that fails verification, and why.
public struct ChainVerificationFailure: Error, Equatable, CustomStringConvertible {
    public var block: UInt64
    public var reason: String

    public init(block: UInt64, reason: String) {
        self.block = block
        self.reason = reason
    }

    public var description: String { "block \(block): \(reason)" }
}
