public import Foundation
internal import Logging
internal import NIOSSL
internal import Synchronization

/// A source of the node's TLS identity that knows when it must be renewed.
public protocol RenewingTLSMaterialSource: ServerTLSMaterialSource {
    /// When the material currently stored is due for renewal (nil if it cannot tell).
    func renewalDate() -> Date?
    /// Returns the stored material, or issues and stores new material if it is due at `now`.
    func loadOrRenew(now: Date) throws -> ServerTLSMaterial
}

/// The TLS context new connections are handed, replaceable while the server runs, so the node can
/// renew its certificate before it expires without a restart (connections already open keep theirs).
final class ReplaceableTLSContext: Sendable {
    private let context: Mutex<NIOSSLContext>

    init(material: ServerTLSMaterial) throws {
        context = Mutex(try OptionalClientCertificateTLS.makeContext(material: material))
    }

    var current: NIOSSLContext { context.withLock { $0 } }

    func replace(with material: ServerTLSMaterial) throws {
        let replacement = try OptionalClientCertificateTLS.makeContext(material: material)
        context.withLock { $0 = replacement }
    }
}

/// Renews the node's TLS certificate when it falls due, for as long as the server runs; a renewal
/// that fails is logged as a warning naming the expiry and retried.
struct TLSRenewalLoop: Sendable {
    let source: any RenewingTLSMaterialSource
    let context: ReplaceableTLSContext
    let logger: Logger
    /// The longest sleep between checks, so a changed clock or file is noticed.
    var maximumInterval: Duration = .seconds(3600)
    var retryInterval: Duration = .seconds(60)

    /// Runs until cancelled.
    func run() async {
        while !Task.isCancelled {
            let due = source.renewalDate() ?? Date().addingTimeInterval(3600)
            let wait = min(max(due.timeIntervalSinceNow, 0), Double(maximumInterval.components.seconds))
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            } catch {
                return
            }
            guard Date() >= due else { continue }
            do {
                try context.replace(with: try source.loadOrRenew(now: Date()))
                let next = source.renewalDate()
                logger.info("renewed the node TLS certificate", metadata: ["next-renewal": "\(next.map { "\($0)" } ?? "unknown")"])
                // A certificate due again at once (a lifetime shorter than the renewal margin) must not spin.
                if let next, next <= Date() { try? await Task.sleep(for: retryInterval) }
            } catch {
                logger.warning("cannot renew the node TLS certificate; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: retryInterval)
            }
        }
    }
}
