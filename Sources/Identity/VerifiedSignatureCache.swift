internal import Synchronization
internal import X509

/// Certificates whose signature by a given root has been verified: a caller presenting the same
/// certificate on every call costs one ECDSA verification, not one per call. Bounded; cleared
/// when full.
public final class VerifiedSignatureCache: Sendable {
    private struct Pair: Hashable {
        var certificate: Certificate
        var root: Certificate
    }

    private let pairs = Mutex<Set<Pair>>([])
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func contains(_ certificate: Certificate, root: Certificate) -> Bool {
        pairs.withLock { $0.contains(Pair(certificate: certificate, root: root)) }
    }

    func insert(_ certificate: Certificate, root: Certificate) {
        pairs.withLock { pairs in
            if pairs.count >= capacity { pairs.removeAll(keepingCapacity: true) }
            pairs.insert(Pair(certificate: certificate, root: root))
        }
    }
}
