internal import Foundation
internal import Identity
public import Schema
internal import SwiftASN1
internal import X509

/// The checks of an ordered block that need no state: it is the next block after `previous`
/// (number and previous hash), its data hash matches its transactions, its orderer signature over
/// the header hash is by an orderer of a member organisation, and it names the channel's current
/// configuration block. Chain verification, orderers following the chain and peers pulling blocks
/// all check a block this way before trusting it.
///
/// A configuration block (its one transaction a valid `ConfigUpdate` of `context`) names itself
/// as the last configuration block, as in Fabric; every other block names the one in force.
public enum OrderedBlockCheck {
    /// Throws the first check `block` fails, naming block `block.header.number`; returns the
    /// channel configuration in force after it (`context`, or the one a configuration block installs).
    @discardableResult
    public static func check(
        _ block: Medledger_V1_Block, follows previous: Medledger_V1_BlockHeader?, context: ChannelContext
    ) throws(ChainVerificationFailure) -> ChannelContext {
        let number = previous.map { $0.number + 1 } ?? 0
        func fail(_ reason: String) -> ChainVerificationFailure { ChainVerificationFailure(block: number, reason: reason) }
        guard let header = block.header, let metadata = block.metadata else { throw fail("the header or metadata is missing") }
        guard header.number == number else { throw fail("the header says block \(header.number)") }
        let expectedPrevious = previous.map(BlockHashing.hash(of:)) ?? Data()
        guard header.previousHash == expectedPrevious else { throw fail("previous_hash does not match the hash of block \(Int(number) - 1)") }
        guard header.dataHash == BlockHashing.dataHash(of: block.data ?? .init()) else {
            throw fail("data_hash does not match the block's transactions")
        }
        try checkOrdererSignature(metadata, header: header, context: context, fail: fail)
        let after = ConfigUpdate.installed(by: block.data?.data ?? [], blockNumber: number, current: context) ?? context
        guard metadata.lastConfigBlockNumber == after.configBlockNumber else {
            throw fail("last_config_block_number is \(metadata.lastConfigBlockNumber), expected \(after.configBlockNumber)")
        }
        return after
    }

    /// The orderer's certificate must come from a member CA with the orderer role, and sign the
    /// header hash. It is judged at its own issue time: a block stays valid after its orderer's
    /// certificate expires.
    private static func checkOrdererSignature(
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
        } catch let failure as ChainVerificationFailure {
            throw failure
        } catch {
            throw fail("the block signer is not a member certificate: \(error)")
        }
        guard orderer.role == .orderer else { throw fail("the block was signed by \(orderer), who is not an orderer") }
        guard SignatureVerifier.isValid(signature: metadata.signature, payload: BlockHashing.hash(of: header), key: orderer.publicKey) else {
            throw fail("the orderer signature of \(orderer) does not verify over the header hash")
        }
    }
}
