public import Foundation
public import Identity
public import CertificateAuthority
public import Logging
internal import X509

/// Warns in the log, well ahead, about certificates the node cannot renew by itself: the org root
/// and issued identities that are close to expiry.
public enum ExpiryWatch {
    /// Logs a warning for the root if it expires within `horizon` of `now`; returns the warnings.
    @discardableResult
    public static func check(ca: OrganizationCA, now: Date = Date(), horizon: TimeInterval = 30 * 24 * 3600, logger: Logger)
        -> [String]
    {
        var warnings: [String] = []
        let root = ca.authority.rootCertificate
        if root.notValidAfter.timeIntervalSince(now) < horizon {
            warnings.append("the root certificate of \(ca.mspID) expires at \(root.notValidAfter.ISO8601Format()); "
                + "create a new CA and re-enroll every identity before then")
        }
        for warning in warnings { logger.warning("\(warning)") }
        return warnings
    }
}
