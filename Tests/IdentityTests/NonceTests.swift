import Crypto
import Foundation
import Identity
import Testing

@Suite("Nonces") struct NonceTests {
    @Test func noncesHaveTheRequestedLengthAndDoNotRepeat() {
        #expect(Nonce.make().count == 32)
        #expect(Nonce.make(count: 24).count == 24)
        #expect(Nonce.make(count: 0).isEmpty)
        let drawn = (0..<1000).map { _ in Nonce.make() }
        #expect(Set(drawn).count == drawn.count)
        // Not constant bytes: across 1000 nonces every byte position takes many values.
        for position in 0..<32 {
            #expect(Set(drawn.map { $0[position] }).count > 100)
        }
    }

    @Test func aTransactionIDIsTheHexSHA256OfNonceAndCreator() {
        let nonce = Nonce.make()
        let creator = Data("certificate".utf8)
        let id = TransactionID.compute(nonce: nonce, creator: creator)
        #expect(id.count == 64)
        #expect(id == TransactionID.compute(nonce: nonce, creator: creator))
        #expect(id != TransactionID.compute(nonce: Nonce.make(), creator: creator))
        // SHA-256 over nonce then creator: swift-crypto's one-shot hash of the concatenation, and
        // Python hashlib's value for a fixed input (hashlib.sha256(b"\\x01" * 24 + b"certificate")).
        #expect(id == Hex.encode(SHA256.hash(data: nonce + creator)))
        #expect(TransactionID.compute(nonce: Data(repeating: 1, count: 24), creator: creator) == "bac113aa5207233c83b85f280a908a12ae817c24e076b174584fde5593a8ebab")
    }
}
