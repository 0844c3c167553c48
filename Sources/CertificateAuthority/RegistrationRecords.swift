public import Identity
public import Foundation
public import Schema

/// A registered identity as the CA stores it (never with its secret).
public struct Registration: Sendable, Hashable {
    public var enrollmentID: String
    public var role: Medledger_V1_Role
    public var attributes: [String: String]
    public var affiliation: String
    /// -1 means unlimited.
    public var maxEnrollments: Int
    public var enrollmentsUsed: Int
    public var failedAttempts: Int
    public var revoked: Bool
}

/// A certificate the CA issued, as the CA stores it.
public struct IssuedCertificate: Sendable, Hashable {
    /// Lowercase hex without leading zeros.
    public var serial: String
    public var enrollmentID: String
    public var notBefore: Date
    public var notAfter: Date
    public var der: Data
    public var revokedAt: Date?
    /// RFC 5280 CRLReason code, when revoked.
    public var revocationReason: Int
}
