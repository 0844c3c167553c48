public import Identity
public import Foundation
internal import GRDB
internal import Wire

extension OrganizationCA {
    /// What to revoke.
    public enum RevocationTarget: Sendable, Hashable {
        /// Every certificate of the identity; it may no longer enroll.
        case identity(String)
        /// One certificate, by lowercase-hex serial.
        case serial(String)
    }

    /// Revokes and re-signs the CRL in one transaction; returns the serials revoked now and the new CRL.
    public func revoke(_ target: RevocationTarget, reason: Int, now: Date = Date()) throws -> (serials: [String], crl: [UInt8]) {
        guard (0...10).contains(reason), reason != 7 else {
            throw CAError.invalidRequest("revocation reason \(reason) is not an RFC 5280 CRLReason")
        }
        return try store.write { db in
            let serials: [String]
            switch target {
            case .identity(let enrollmentID):
                guard try store.credentials(of: enrollmentID, in: db) != nil else {
                    throw CAError.unknownIdentity(enrollmentID)
                }
                try db.execute(sql: "UPDATE registration SET revoked = 1 WHERE enrollment_id = ?", arguments: [enrollmentID])
                serials = try store.certificates(of: enrollmentID, in: db).filter { $0.revokedAt == nil }.map(\.serial)
            case .serial(let text):
                let serial = Self.normalizedSerial(text)
                guard !serial.isEmpty, serial.count <= 42, Hex.decode(serial.count % 2 == 0 ? serial : "0" + serial) != nil else {
                    throw CAError.invalidRequest("serial \(QuotedInput.quote(text, limit: 64)) is not a certificate serial (up to 20 bytes in hex)")
                }
                guard let row = try Row.fetchOne(db, sql: "SELECT revoked_at FROM certificate WHERE serial = ?", arguments: [serial])
                else { throw CAError.unknownSerial(text) }
                guard (row["revoked_at"] as Double?) == nil else { throw CAError.alreadyRevoked(serial: serial) }
                serials = [serial]
            }
            for serial in serials {
                try db.execute(
                    sql: "UPDATE certificate SET revoked_at = ?, revocation_reason = ? WHERE serial = ?",
                    arguments: [now.timeIntervalSince1970, reason, serial]
                )
            }
            return (serials, try resignCRL(now: now, in: db))
        }
    }

    /// How long a signed CRL is served before it is signed again: half of its validity, so
    /// relying parties always hold a CRL whose nextUpdate lies ahead even without revocations.
    static let crlRefreshInterval: TimeInterval = CertificateAuthority.crlValidity / 2

    /// The current CRL (DER); signs the first one, and signs a fresh one once the stored one is
    /// older than `crlRefreshInterval`.
    public func currentCRL(now: Date = Date()) throws -> [UInt8] {
        if let stored = try store.read({ db in try store.currentCRL(in: db) }), isFresh(stored.signedAt, now: now) {
            return stored.der
        }
        return try store.write { db in
            if let stored = try store.currentCRL(in: db), isFresh(stored.signedAt, now: now) { return stored.der }
            return try resignCRL(now: now, in: db)
        }
    }

    private func isFresh(_ signedAt: Date, now: Date) -> Bool {
        now >= signedAt && now.timeIntervalSince(signedAt) < Self.crlRefreshInterval
    }

    /// Serials of every revoked certificate.
    public func revokedSerials() throws -> Set<String> {
        try store.read { db in Set(try store.revokedCertificates(in: db).map(\.serial)) }
    }

    private func resignCRL(now: Date, in db: Database) throws -> [UInt8] {
        let number = (try store.currentCRL(in: db)?.number ?? 0) + 1
        let der = try authority.makeCRL(revoked: try store.revokedCertificates(in: db), number: number, now: now)
        try store.storeCRL(number: number, der: der, signedAt: now, in: db)
        return der
    }

    /// Lowercase hex without leading zeros or separators.
    static func normalizedSerial(_ text: String) -> String {
        let hex = text.lowercased().filter { $0 != ":" }
        let trimmed = hex.drop(while: { $0 == "0" })
        return trimmed.isEmpty ? "0" : String(trimmed)
    }

    // MARK: - Listing

    /// One page of registrations with their certificates, sorted by enrollment ID.
    public func listIdentities(prefix: String, pageSize: Int, after: String) throws
        -> (identities: [(Registration, [IssuedCertificate])], hasMore: Bool)
    {
        let size = pageSize <= 0 ? 100 : min(pageSize, 1000)
        let page = try store.registrations(prefix: prefix, after: after, limit: size + 1)
        let shown = Array(page.prefix(size))
        let listed = try shown.map { ($0, try store.certificates(of: $0.enrollmentID)) }
        return (listed, page.count > size)
    }
}
