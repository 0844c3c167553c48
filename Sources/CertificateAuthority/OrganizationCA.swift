public import Identity
public import Crypto
public import Foundation
internal import GRDB
public import Schema
internal import SwiftASN1
public import X509

/// One organisation's certificate authority with its records: registers identities, enrolls them
/// from CSRs, re-enrolls, revokes and publishes the CRL. Every operation checks everything first and
/// then writes in one transaction, so a refused request changes nothing.
public final class OrganizationCA: Sendable {
    public let authority: CertificateAuthority
    public let store: RegistrationStore
    public let policy: Policy

    /// Limits and lifetimes of one CA.
    public struct Policy: Sendable {
        /// Enrollments allowed when a registration asks for the default (0).
        public var defaultMaxEnrollments = 1
        /// Wrong secrets in a row after which an identity is locked.
        public var maxFailedAttempts = 5
        /// Lifetime of certificates issued by Enroll and Reenroll.
        public var certificateValidity: TimeInterval = 365 * 24 * 3600

        public init() {}
    }

    public init(authority: CertificateAuthority, store: RegistrationStore, policy: Policy = Policy()) {
        self.authority = authority
        self.store = store
        self.policy = policy
    }

    public var mspID: String { authority.mspID }

    static func validateEnrollmentID(_ id: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-")
        guard (1...64).contains(id.count), id.allSatisfy(allowed.contains) else {
            throw CAError.invalidEnrollmentID(id)
        }
    }

    // MARK: - Register

    /// Registers a new identity and returns its enrollment secret (the given one, or a generated one).
    public func register(
        enrollmentID: String,
        role: Medledger_V1_Role,
        attributes: [String: String] = [:],
        maxEnrollments: Int = 0,
        affiliation: String = "",
        secret: String = ""
    ) throws -> String {
        try Self.validateEnrollmentID(enrollmentID)
        guard role.certificateName != nil else {
            throw CAError.invalidRole("\(role.protoName ?? "\(role.rawValue)") cannot be registered; use one of "
                + Medledger_V1_Role.certifiable.compactMap(\.certificateName).joined(separator: ", "))
        }
        guard maxEnrollments >= -1 else {
            throw CAError.invalidRequest("max_enrollments must be -1 (unlimited), 0 (default) or positive")
        }
        guard secret.isEmpty || secret.utf8.count >= 12 else {
            throw CAError.invalidRequest("a chosen secret must have at least 12 characters")
        }
        let chosen = secret.isEmpty ? EnrollmentSecret.generate() : secret
        let (salt, hash) = try EnrollmentSecret.hash(chosen)
        let registration = Registration(
            enrollmentID: enrollmentID, role: role, attributes: attributes, affiliation: affiliation,
            maxEnrollments: maxEnrollments == 0 ? policy.defaultMaxEnrollments : maxEnrollments,
            enrollmentsUsed: 0, failedAttempts: 0, revoked: false
        )
        try store.write { db in
            guard try store.credentials(of: enrollmentID, in: db) == nil else {
                throw CAError.alreadyRegistered(enrollmentID)
            }
            try store.insert(registration, salt: salt, hash: hash, in: db)
        }
        return chosen
    }

    // MARK: - Enroll

    /// Exchanges an enrollment secret and a CSR for a certificate. A wrong secret counts toward the
    /// lockout; that count is the only thing a refused enrollment writes.
    public func enroll(enrollmentID: String, secret: String, csr csrDER: some Collection<UInt8>, now: Date = Date())
        throws -> Certificate
    {
        guard let found = try store.read({ db in try store.credentials(of: enrollmentID, in: db) }) else {
            // Spend the same time as a real check, so response times do not reveal which IDs exist.
            _ = try? EnrollmentSecret.hash(secret)
            throw CAError.enrollmentDenied
        }
        let (registration, salt, hash) = found
        if registration.failedAttempts >= policy.maxFailedAttempts {
            throw CAError.lockedOut(enrollmentID: enrollmentID)
        }
        guard try EnrollmentSecret.matches(secret, salt: salt, hash: hash) else {
            let locked = try store.write { db -> Bool in
                try db.execute(
                    sql: "UPDATE registration SET failed_attempts = failed_attempts + 1 WHERE enrollment_id = ?",
                    arguments: [enrollmentID]
                )
                return try Int.fetchOne(
                    db, sql: "SELECT failed_attempts FROM registration WHERE enrollment_id = ?", arguments: [enrollmentID]
                ) ?? 0 >= policy.maxFailedAttempts
            }
            throw locked ? CAError.lockedOut(enrollmentID: enrollmentID) : CAError.enrollmentDenied
        }
        let csr = try CertificateAuthority.parseCSR(csrDER)
        return try issueRecorded(to: enrollmentID, publicKey: csr.publicKey, now: now) { current in
            guard !current.revoked else { throw CAError.identityRevoked(enrollmentID) }
            guard current.failedAttempts < policy.maxFailedAttempts else { throw CAError.lockedOut(enrollmentID: enrollmentID) }
            guard current.maxEnrollments < 0 || current.enrollmentsUsed < current.maxEnrollments else {
                throw CAError.enrollmentsExhausted(enrollmentID: enrollmentID, max: current.maxEnrollments)
            }
            return "UPDATE registration SET enrollments_used = enrollments_used + 1, failed_attempts = 0 WHERE enrollment_id = ?"
        }
    }

    /// Issues a fresh certificate (for the key in `csr`) to an identity already authenticated by its
    /// current certificate. Does not use up an enrollment.
    public func reenroll(enrollmentID: String, csr csrDER: some Collection<UInt8>, now: Date = Date()) throws -> Certificate {
        let csr = try CertificateAuthority.parseCSR(csrDER)
        return try issueRecorded(to: enrollmentID, publicKey: csr.publicKey, now: now) { current in
            guard !current.revoked else { throw CAError.identityRevoked(enrollmentID) }
            return nil
        }
    }

    /// Issues and records a certificate in one transaction, after `check` accepts the registration as
    /// it is inside that transaction; `check` may return an UPDATE (bound to the enrollment ID) to run.
    private func issueRecorded(
        to enrollmentID: String,
        publicKey: Certificate.PublicKey,
        now: Date,
        check: (Registration) throws -> String?
    ) throws -> Certificate {
        try store.write { db in
            guard let current = try store.credentials(of: enrollmentID, in: db)?.0 else {
                throw CAError.unknownIdentity(enrollmentID)
            }
            let update = try check(current)
            let certificate = try authority.issue(
                publicKey: publicKey,
                profile: .enrollment(enrollmentID: enrollmentID, role: current.role, attributes: current.attributes),
                now: now,
                validity: policy.certificateValidity
            )
            if let update { try db.execute(sql: update, arguments: [enrollmentID]) }
            try store.insert(IssuedCertificate(certificate, enrollmentID: enrollmentID), in: db)
            return certificate
        }
    }

    /// Issues a TLS server certificate for this organisation's node and records it.
    public func issueNodeTLSCertificate(
        nodeName: String,
        hostNames: [String],
        publicKey: P256.Signing.PublicKey,
        validity: TimeInterval,
        now: Date = Date()
    ) throws -> Certificate {
        let certificate = try authority.issue(
            publicKey: Certificate.PublicKey(publicKey),
            profile: .tlsServer(nodeName: nodeName, hostNames: HostNames.required(adding: hostNames)),
            now: now,
            validity: validity
        )
        try store.write { db in
            try store.insert(IssuedCertificate(certificate, enrollmentID: nodeName), in: db)
        }
        return certificate
    }
}

extension IssuedCertificate {
    init(_ certificate: Certificate, enrollmentID: String) throws {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.init(
            serial: certificate.serialNumber.hexString,
            enrollmentID: enrollmentID,
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter,
            der: Data(serializer.serializedBytes),
            revokedAt: nil,
            revocationReason: 0
        )
    }
}
