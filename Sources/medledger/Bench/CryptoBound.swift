internal import Crypto
internal import Dispatch
internal import Foundation
internal import Synchronization

/// The signature work one committed transaction costs, run flat out on every core: by default
/// three P-256 signatures (client proposal, peer endorsement, client envelope) and three
/// verifications (proposal at endorse, envelope at submit, endorsement at commit). Its rate is the
/// ceiling a node on this machine could reach if it did nothing but cryptography. A node that
/// endorses itself verifies only two (its validator trusts its own endorsements).
enum CryptoBound {
    /// Transactions' worth of signature work per second on `cores` threads, measured for `duration`.
    static func measure(
        signs: Int = 3, verifies: Int = 3, cores: Int = ProcessInfo.processInfo.activeProcessorCount, duration: Duration = .seconds(2)
    ) -> Double {
        let key = P256.Signing.PrivateKey()
        let payload = Data(repeating: 0x5a, count: 3000)
        let signature = try! key.signature(for: payload)
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let counts = Mutex([Int](repeating: 0, count: cores))
        let start = DispatchTime.now()
        DispatchQueue.concurrentPerform(iterations: cores) { core in
            var done = 0
            while Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 < seconds {
                for _ in 0..<signs { _ = try! key.signature(for: payload) }
                for _ in 0..<verifies { _ = key.publicKey.isValidSignature(signature, for: payload) }
                done += 1
            }
            counts.withLock { $0[core] = done }
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Double(counts.withLock { $0.reduce(0, +) }) / elapsed
    }
}
