public import Identity
internal import Crypto
internal import _CryptoExtras
import Foundation

/// Enrollment secrets: generated with the system CSPRNG and stored only as a salted PBKDF2-SHA256
/// hash, so a stolen registration database does not reveal them.
public enum EnrollmentSecret {
    /// The smallest round count swift-crypto accepts (OWASP's 2023 advice for PBKDF2-SHA256).
    static let rounds = 210_000
    static let hashLength = 32

    /// A fresh secret: 24 random bytes as 48 hex characters.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// A salted hash of `secret` to store: salt and hash.
    static func hash(_ secret: String) throws -> (salt: Data, hash: Data) {
        var salt = Data(count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: .min ... .max, using: &generator) }
        return (salt, try derive(secret, salt: salt))
    }

    /// True if `secret` hashes to `hash` under `salt`; compares in constant time.
    static func matches(_ secret: String, salt: Data, hash: Data) throws -> Bool {
        let candidate = try derive(secret, salt: salt)
        guard candidate.count == hash.count else { return false }
        return zip(candidate, hash).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ secret: String, salt: Data) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(secret.utf8),
            salt: salt,
            using: .sha256,
            outputByteCount: hashLength,
            rounds: rounds
        )
        return key.withUnsafeBytes { Data($0) }
    }
}
