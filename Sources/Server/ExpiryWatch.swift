public import Foundation
public import Identity
public import CertificateAuthority
public import Logging
internal import X509

/// Warns in the log, well ahead, about certificates the node cannot renew by itself: the org root,
/// and the newest certificate of every registered identity (users, admins, the node's own
/// signers) that is not revoked, when it expires within the horizon or expired recently. An
/// identity renews with `medledger ca reenroll`; `medledger ca list` marks the same certificates.
public enum ExpiryWatch {
    /// 30 days: the warning comes while there is time to re-enroll.
    public static let horizon: TimeInterval = 30 * 24 * 3600

    /// Logs a warning for each certificate of `ca` that expires within `horizon` of `now` (or
    /// expired less than `horizon` ago); returns the warnings.
    @discardableResult
    public static func check(ca: OrganizationCA, now: Date = Date(), horizon: TimeInterval = Self.horizon, logger: Logger)
        -> [String]
    {
        var warnings: [String] = []
        let root = ca.authority.rootCertificate
        if root.notValidAfter.timeIntervalSince(now) < horizon {
            warnings.append("the root certificate of \(ca.mspID) expires at \(root.notValidAfter.ISO8601Format()); "
                + "create a new CA and re-enroll every identity before then")
        }
        do {
            warnings += try expiringIdentities(of: ca, now: now, horizon: horizon)
        } catch {
            logger.error("could not read \(ca.mspID)'s registrations to check certificate expiry", metadata: ["error": "\(error)"])
        }
        for warning in warnings { logger.warning("\(warning)") }
        return warnings
    }

    /// Checks every CA now and then every `interval` until the task is cancelled.
    public static func watch(_ authorities: [OrganizationCA], every interval: Duration = .seconds(24 * 3600), logger: Logger) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            for ca in authorities { check(ca: ca, logger: logger) }
        }
    }

    /// One warning per identity whose newest unrevoked certificate is near or just past its end.
    static func expiringIdentities(of ca: OrganizationCA, now: Date, horizon: TimeInterval) throws -> [String] {
        var warnings: [String] = []
        var after = ""
        while true {
            let page = try ca.listIdentities(prefix: "", pageSize: 1000, after: after)
            for (registration, certificates) in page.identities where !registration.revoked {
                guard let newest = certificates.filter({ $0.revokedAt == nil }).max(by: { $0.notAfter < $1.notAfter }) else { continue }
                let left = newest.notAfter.timeIntervalSince(now)
                guard left < horizon, left > -horizon else { continue }
                let when = left < 0 ? "expired at" : "expires at"
                warnings.append(
                    "the certificate of \(registration.enrollmentID) in \(ca.mspID) (serial \(newest.serial)) \(when) "
                        + "\(newest.notAfter.ISO8601Format()); re-enroll it with medledger ca reenroll")
            }
            guard page.hasMore, let last = page.identities.last?.0.enrollmentID else { break }
            after = last
        }
        return warnings
    }
}
