import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import Wire

@Suite("Chain verification")
struct ChainVerifierTests {
    static let fixture = try! ChannelFixture()
    var f: ChannelFixture { Self.fixture }

    /// A genesis block and two blocks of transactions, committed the way the node commits them.
    func chain() throws -> [Data] {
        let state = InMemoryState()
        let genesis = try BlockAssembly.genesis(config: f.config, orderer: f.orderer, now: Date())
        try state.apply(StateUpdate.derive(from: genesis))
        var blocks = [genesis]
        let batches: [[Data]] = [
            [try put("k1", "a"), try put("k2", "b")],
            [try put("k1", "c", read: ("k1", version(1, 0))), try put("k1", "stale", read: ("k1", version(1, 0)))],
        ]
        for batch in batches {
            let previous = blocks.last!
            let checked = batch.map { f.validator().check($0, blockNumber: previous.header!.number + 1) }
            let codes = try BlockValidator().finish(checked, state: state)
            let (block, update) = try BlockAssembly.assemble(
                after: previous.header, previousCommitHash: previous.metadata!.commitHash, envelopes: batch, codes: codes,
                lastConfigBlock: 0, orderer: f.orderer)
            try state.apply(update)
            blocks.append(block)
        }
        return blocks.map { $0.serializedData() }
    }

    func put(_ key: String, _ value: String, read: (String, Medledger_V1_Version?)? = nil) throws -> Data {
        try f.envelope(
            f.proposal(by: f.clinicianA), signer: f.clinicianA, rwset: rwset(reads: read.map { [$0] } ?? [], writes: [(key, value)]),
            endorsers: [f.peerA])
    }

    func verifyAll(_ blocks: [Data]) throws(ChainVerificationFailure) -> ChainVerifier {
        var verifier = ChainVerifier(knownChaincodes: ["asset"])
        for bytes in blocks { try verifier.verify(bytes) }
        return verifier
    }

    @Test func anUntouchedChainVerifiesAndRebuildsState() throws {
        let verifier = try verifyAll(try chain())
        #expect(verifier.height == 3)
        #expect(verifier.transactionCount == 5)
        #expect(verifier.validCount == 4)
        #expect(verifier.state.get(namespace: "asset", key: "k1")?.value == Data("c".utf8))
        #expect(verifier.state.get(namespace: "asset", key: "k1")?.version == version(2, 0))
    }

    @Test func flippingAnyByteOfABlockIsReportedWithItsNumber() throws {
        let blocks = try chain()
        let target = 1
        var undetected: [Int] = []
        for offset in blocks[target].indices {
            var tampered = blocks
            tampered[target][offset] ^= 0x01
            do {
                _ = try verifyAll(tampered)
                undetected.append(offset)
            } catch {
                #expect(error.block == UInt64(target), "offset \(offset): \(error)")
            }
        }
        let context = undetected.map { offset -> String in
            let bytes = blocks[target]
            let window = bytes[max(0, offset - 12)..<min(bytes.count, offset + 12)].map { String($0, radix: 16) }.joined(separator: " ")
            return "\(offset)/\(bytes.count) byte \(String(bytes[offset], radix: 16)): \(window)"
        }
        #expect(undetected.isEmpty, "flips went unnoticed: \(context)")
    }

    @Test func aRemovedBlockBreaksTheHashChain() throws {
        var blocks = try chain()
        blocks.remove(at: 1)
        #expect(throws: ChainVerificationFailure.self) { try verifyAll(blocks) }
        do { _ = try verifyAll(blocks) } catch { #expect(error.block == 1) }
    }

    @Test func aBlockSignedByANonOrdererIsRejected() throws {
        let blocks = try chain()
        var block = try Medledger_V1_Block(serializedData: blocks[1])
        block.metadata?.signer = f.peerA.certificateDER
        block.metadata?.signature = try f.peerA.sign(BlockHashing.hash(of: block.header!))
        do {
            _ = try verifyAll([blocks[0], block.serializedData(), blocks[2]])
            Issue.record("a peer-signed block verified")
        } catch {
            #expect(error.block == 1)
            #expect(error.reason.contains("not an orderer"))
        }
    }
}
