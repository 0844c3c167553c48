public import Foundation
internal import Identity
internal import SwiftASN1
internal import X509
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
    private var context: ChannelContext?
    private var previous: Medledger_V1_BlockHeader?
    private var previousCommitHash = Data()

    public init(knownChaincodes: Set<String>) {
        self.knownChaincodes = knownChaincodes
    }

    /// The number of blocks verified so far.
    public var height: UInt64 { previous.map { $0.number + 1 } ?? 0 }

    /// Verifies the next block, given as the exact bytes the block store holds.
    public mutating func verify(_ bytes: Data) throws(ChainVerificationFailure) {
        let number = height
        func fail(_ reason: String) -> ChainVerificationFailure { ChainVerificationFailure(block: number, reason: reason) }

        guard let block = try? Medledger_V1_Block(serializedData: bytes) else { throw fail("the stored bytes do not decode as a Block") }
        guard block.serializedData() == bytes else {
            throw fail("the stored bytes are not the block's canonical encoding (altered or unknown fields)")
        }
        guard let header = block.header, let metadata = block.metadata else { throw fail("the header or metadata is missing") }
        let data = block.data ?? .init()
        guard header.number == number else { throw fail("the header says block \(header.number)") }
        let expectedPrevious = previous.map(BlockHashing.hash(of:)) ?? Data()
        guard header.previousHash == expectedPrevious else { throw fail("previous_hash does not match the hash of block \(Int(number) - 1)") }
        guard header.dataHash == BlockHashing.dataHash(of: data) else { throw fail("data_hash does not match the block's transactions") }

        if number == 0 {
            guard let config = BlockAssembly.genesisConfig(in: block) else { throw fail("the genesis block holds no channel configuration") }
            do { context = try ChannelContext(config: config, configBlockNumber: 0) } catch { throw fail("\(error)") }
        }
        guard let context else { throw fail("no channel configuration precedes this block") }
        try checkOrdererSignature(metadata, header: header, context: context, fail: fail)
        guard metadata.lastConfigBlockNumber == context.configBlockNumber else {
            throw fail("last_config_block_number is \(metadata.lastConfigBlockNumber), expected \(context.configBlockNumber)")
        }

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

        previous = header
        previousCommitHash = commitHash
        transactionCount += codes.count
        validCount += codes.filter { $0 == .valid }.count
    }

    /// The orderer's certificate must come from a member CA with the orderer role, and sign the
    /// header hash. It is judged at its own issue time: a block stays valid after its orderer's
    /// certificate expires.
    private func checkOrdererSignature(
        _ metadata: Medledger_V1_BlockMetadata, header: Medledger_V1_BlockHeader, context: ChannelContext,
        fail: (String) -> ChainVerificationFailure
    ) throws(ChainVerificationFailure) {
        let orderer: Identity
        do {
            let certificate = try Certificate(derEncoded: Array(metadata.signer))
            // The signer certificate is outside the header hash: only its canonical encoding counts
            // (BER leniency, e.g. non-zero unused bits in the signature BIT STRING, would let
            // altered bytes still verify).
            guard Membership.hasOctetAlignedSignature(Array(metadata.signer)) else {
                throw fail("the block signer certificate's signature BIT STRING declares unused bits")
            }
            orderer = try context.membership.validate(certificate, at: certificate.notValidBefore)
        } catch {
            throw fail("the block signer is not a member certificate: \(error)")
        }
        guard orderer.role == .orderer else { throw fail("the block was signed by \(orderer), who is not an orderer") }
        guard SignatureVerifier.isValid(signature: metadata.signature, payload: BlockHashing.hash(of: header), key: orderer.publicKey) else {
            throw fail("the orderer signature of \(orderer) does not verify over the header hash")
        }
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
