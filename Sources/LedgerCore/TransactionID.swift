internal import Crypto
public import Foundation

/// Transaction IDs as Fabric derives them: lowercase hex of SHA-256(nonce || creator certificate),
/// so a client cannot choose another identity's ID and a validator can recompute it.
public enum TransactionID {
    /// The smallest nonce a proposal may carry.
    public static let minimumNonceLength = 24

    public static func compute(nonce: Data, creator: Data) -> String {
        var hasher = SHA256()
        hasher.update(data: nonce)
        hasher.update(data: creator)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
