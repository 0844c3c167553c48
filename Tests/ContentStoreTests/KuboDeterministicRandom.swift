import Crypto
import _CryptoExtras
import Foundation

/// Kubo's test-data generator (`testutils.DeterministicRandomReader` and the file names of
/// `createDeterministicFiles` in test/cli), so that inputs of Kubo's published CIDs can be rebuilt.
enum KuboDeterministicRandom {
    /// `ALPHABET[b % 39]` maps a random byte to a name character; "0" appears twice, as in Kubo's
    /// `testutils.AlphabetEasy`.
    static let nameAlphabet = Array("abcdefghijklmnopqrstuvwxyz01234567890-_")

    /// The first `count` bytes of the stream for `seed`: the ChaCha20 (IETF) keystream under the key
    /// SHA-256(seed), with an all-zero nonce and the block counter starting at 0.
    static func bytes(count: Int, seed: String) -> Data {
        let key = SymmetricKey(data: SHA256.hash(data: Data(seed.utf8)))
        do {
            return try Insecure.ChaCha20CTR.encrypt(
                Data(count: count),
                using: key,
                counter: Insecure.ChaCha20CTR.Counter(offset: 0),
                nonce: Insecure.ChaCha20CTR.Nonce(data: Data(count: 12))
            )
        } catch {
            fatalError("ChaCha20 with a 32-byte key and a 12-byte nonce cannot fail: \(error)")
        }
    }

    /// The names of the `count` files Kubo's HAMT tests create: each takes the next `nameLength`
    /// bytes of the stream for `seed` (the last takes `lastNameLength`), one character a byte.
    static func fileNames(count: Int, nameLength: Int, lastNameLength: Int, seed: String) -> [String] {
        let stream = bytes(count: nameLength * (count - 1) + lastNameLength, seed: seed)
        var names: [String] = []
        var start = stream.startIndex
        for index in 0..<count {
            let length = index == count - 1 ? lastNameLength : nameLength
            let characters = stream[start..<start + length].map { nameAlphabet[Int($0) % nameAlphabet.count] }
            names.append(String(characters))
            start += length
        }
        return names
    }
}
