public import Crypto
public import Foundation
internal import Synchronization

/// Signatures this node made itself, remembered so that its own validator need not verify them
/// again: an endorsement this node's peer signed comes back inside the client's transaction, and
/// finding the exact (signer, signed bytes, signature) triple here proves it as well as an ECDSA
/// verification would, for the price of one SHA-256. Anything not found is verified as usual;
/// `ledger verify` and other nodes always verify. Bounded: the oldest entries go first.
public final class IssuedSignatures: Sendable {
    /// SHA-256 of (signed digest, signature), held inline: 32 bytes an entry and no allocation,
    /// where two `Data` of 32 and ~72 bytes cost about ten times that on the heap.
    private struct Key: Hashable {
        var words: (UInt64, UInt64, UInt64, UInt64)

        init(digest: SHA256.Digest, signature: Data) {
            var hasher = SHA256()
            digest.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            hasher.update(data: signature)
            words = hasher.finalize().withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            }
        }

        static func == (lhs: Key, rhs: Key) -> Bool { lhs.words == rhs.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
        }
    }

    private struct Entries {
        var set: Set<Key> = []
        var order: [Key] = []
        var next = 0
    }

    private let entries = Mutex(Entries())
    private let capacity: Int

    public init(capacity: Int = 100_000) {
        self.capacity = max(1, capacity)
    }

    /// Remembers that `signer` (DER certificate) signed `payload` with `signature`.
    public func record(signature: Data, payload: Data, signer: Data) {
        record(signature: signature, signedDigest: Self.digest(payload, signer))
    }

    /// Remembers a signature over the message `payload || signer` whose SHA-256 is
    /// `signedDigest` — the digest an endorser computes anyway to sign that message.
    public func record(signature: Data, signedDigest: SHA256.Digest) {
        let key = Key(digest: signedDigest, signature: signature)
        entries.withLock { entries in
            guard entries.set.insert(key).inserted else { return }
            if entries.order.count < capacity {
                entries.order.append(key)
            } else {
                entries.set.remove(entries.order[entries.next])
                entries.order[entries.next] = key
                entries.next = (entries.next + 1) % capacity
            }
        }
    }

    /// True if this node made exactly this signature by `signer` over `payload`.
    public func contains(signature: Data, payload: Data, signer: Data) -> Bool {
        let key = Key(digest: Self.digest(payload, signer), signature: signature)
        return entries.withLock { $0.set.contains(key) }
    }

    /// SHA-256 of `payload || signer`: the message an endorsement signs.
    public static func digest(_ payload: Data, _ signer: Data) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: payload)
        hasher.update(data: signer)
        return hasher.finalize()
    }
}
