internal import Crypto
public import Foundation
internal import Schema
internal import Wire

/// Transaction IDs as Fabric derives them: lowercase hex of SHA-256(nonce || creator certificate),
/// so a client cannot choose another identity's ID and a validator can recompute it.
public enum TransactionID {
    /// The smallest nonce a proposal may carry.
    public static let minimumNonceLength = 24

    public static func compute(nonce: Data, creator: Data) -> String {
        var hasher = SHA256()
        hasher.update(data: nonce)
        hasher.update(data: creator)
        return Hex.encode(hasher.finalize())
    }
}

/// Reading tx IDs out of stored envelopes.
public enum TransactionIDs {
    /// The tx ID of an envelope's endorser or config transaction; nil if it does not decode.
    public static func of(envelope bytes: Data) -> String? {
        guard let envelope = try? Medledger_V1_Envelope(serializedData: bytes),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload)
        else { return nil }
        switch transaction.body {
        case .endorserTransaction(let endorsed)?: return endorsed.proposal?.txID
        case .configTransaction(let change)?: return change.txID
        case nil: return nil
        }
    }
}

/// Random nonces for proposals and config transactions, from BoringSSL's CSPRNG (seeded by the
/// kernel): one call per nonce, where the system generator made a `getrandom` system call per
/// 8 bytes, which showed up in load profiles.
public enum Nonce {
    public static func make(count: Int = 32) -> Data {
        guard count > 0 else { return Data() }
        return SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Data($0) }
    }
}
