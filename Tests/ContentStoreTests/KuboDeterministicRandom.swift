import _CryptoExtras
import Crypto
import Foundation

/// The test data of Kubo's own CID tests (`test/cli/testutils/random_deterministic.go`): the
/// ChaCha20 keystream (IETF, all-zero 12-byte nonce, block counter from 0) under the key
/// SHA-256(seed). Kubo's `cid_profiles_test.go` and `add_test.go` publish the CIDs that
/// `ipfs add` prints for these bytes, so matching them checks the importer against Kubo itself.
enum KuboDeterministicRandom {
    private static let blockLength = 64

    /// The first `count` bytes of the stream for `seed`.
    static func bytes(count: Int, seed: String) -> Data {
        var result = Data(capacity: count)
        stream(count: count, seed: seed) { result.append($0) }
        return result
    }

    /// Hands the first `count` bytes of the stream for `seed` to `body`, in pieces of at most
    /// `pieceLength` bytes (a multiple of the 64-byte ChaCha20 block), so large inputs stay small in memory.
    static func stream(count: Int, seed: String, pieceLength: Int = 1 << 20, _ body: (Data) throws -> Void) rethrows {
        precondition(pieceLength % blockLength == 0, "pieces must be whole ChaCha20 blocks")
        let key = SymmetricKey(data: SHA256.hash(data: Data(seed.utf8)))
        let nonce = try! Insecure.ChaCha20CTR.Nonce(data: Data(count: 12))
        let zeros = Data(count: pieceLength)
        var produced = 0
        while produced < count {
            let length = min(pieceLength, count - produced)
            let counter = try! Insecure.ChaCha20CTR.Counter(offset: UInt32(produced / blockLength))
            let piece = try! Insecure.ChaCha20CTR.encrypt(zeros.prefix(length), using: key, counter: counter, nonce: nonce)
            try body(piece)
            produced += length
        }
    }

    /// Kubo's `AlphabetEasy`: 39 characters, "0" twice, as Kubo's test helper has it.
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz01234567890-_")

    /// File names as Kubo's `createDeterministicFiles` makes them: from a 1 MiB stream for `seed`,
    /// each name takes the next bytes (`lastNameLength` for the last, `nameLength` for the others),
    /// each byte mapped to `alphabet[byte % 39]`.
    static func fileNames(count: Int, nameLength: Int, lastNameLength: Int, seed: String) -> [String] {
        let stream = [UInt8](bytes(count: 1 << 20, seed: seed))
        var offset = 0
        return (0..<count).map { index in
            let length = index == count - 1 ? lastNameLength : nameLength
            defer { offset += length }
            return String(stream[offset..<offset + length].map { alphabet[Int($0) % alphabet.count] })
        }
    }
}
