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

/// Random nonces for proposals and config transactions, drawn 8 bytes at a time from the system
/// generator (one `getrandom` per byte showed up in profiles).
public enum Nonce {
    public static func make(count: Int = 32) -> Data {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes.prefix(count))
    }
}
