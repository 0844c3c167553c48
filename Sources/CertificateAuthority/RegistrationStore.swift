public import Identity
import Foundation
internal import GRDB
import Schema

/// The CA's records in SQLite: registrations (with salted secret hashes and failed-attempt
/// counters), every issued certificate and its revocation, the CRL number and the current CRL.
/// Every change is one transaction, so a refused request writes nothing.
public final class RegistrationStore: Sendable {
    let database: DatabaseQueue

    /// Opens (creating if needed) the store at `path`; `nil` keeps it in memory, for tests.
    public init(path: String?) throws {
        do {
            database = try path.map { try DatabaseQueue(path: $0) } ?? DatabaseQueue()
            try Self.migrator.migrate(database)
        } catch {
            throw CAError.storage("cannot open \(path ?? "in-memory store"): \(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE registration (
                        enrollment_id TEXT PRIMARY KEY NOT NULL,
                        role INTEGER NOT NULL,
                        attributes TEXT NOT NULL,
                        affiliation TEXT NOT NULL,
                        max_enrollments INTEGER NOT NULL,
                        enrollments_used INTEGER NOT NULL DEFAULT 0,
                        secret_salt BLOB NOT NULL,
                        secret_hash BLOB NOT NULL,
                        failed_attempts INTEGER NOT NULL DEFAULT 0,
                        revoked INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE certificate (
                        serial TEXT PRIMARY KEY NOT NULL,
                        enrollment_id TEXT NOT NULL,
                        not_before REAL NOT NULL,
                        not_after REAL NOT NULL,
                        der BLOB NOT NULL,
                        revoked_at REAL,
                        revocation_reason INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX certificate_by_identity ON certificate(enrollment_id);
                    CREATE TABLE crl (id INTEGER PRIMARY KEY CHECK (id = 1), number INTEGER NOT NULL, der BLOB NOT NULL);
                    """
            )
        }
        migrator.registerMigration("v2-crl-signed-at") { db in
            // When the current CRL was signed, so it can be re-signed before its nextUpdate passes.
            try db.execute(sql: "ALTER TABLE crl ADD COLUMN signed_at REAL NOT NULL DEFAULT 0")
        }
        // Unlocks of identities that wrong secrets locked: who, when, after how many (audited).
        migrator.registerMigration("v3-unlocks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE unlock (
                        id INTEGER PRIMARY KEY, enrollment_id TEXT NOT NULL, unlocked_by TEXT NOT NULL,
                        unlocked_at REAL NOT NULL, failed_attempts INTEGER NOT NULL
                    )
                    """)
        }
        return migrator
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch let error as CAError { throw error } catch {
            throw Self.storageError(error)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch let error as CAError { throw error } catch {
            throw Self.storageError(error)
        }
    }

    /// SQLITE_FULL (no space on the device; the transaction was rolled back) or another failure.
    private static func storageError(_ error: any Error) -> CAError {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL ? .diskFull : .storage("\(error)")
    }

    // MARK: - Registrations

    static func registration(from row: Row) -> Registration {
        let json: String = row["attributes"]
        let attributes = (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
        return Registration(
            enrollmentID: row["enrollment_id"],
            role: Medledger_V1_Role(rawValue: row["role"]),
            attributes: attributes,
            affiliation: row["affiliation"],
            maxEnrollments: row["max_enrollments"],
            enrollmentsUsed: row["enrollments_used"],
            failedAttempts: row["failed_attempts"],
            revoked: row["revoked"]
        )
    }

    func insert(_ registration: Registration, salt: Data, hash: Data, in db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let attributes = String(decoding: try encoder.encode(registration.attributes), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO registration (enrollment_id, role, attributes, affiliation, max_enrollments, secret_salt, secret_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                registration.enrollmentID, registration.role.rawValue, attributes, registration.affiliation,
                registration.maxEnrollments, salt, hash,
            ]
        )
    }

    /// The registration and its secret's salt and hash.
    func credentials(of enrollmentID: String, in db: Database) throws -> (Registration, salt: Data, hash: Data)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM registration WHERE enrollment_id = ?", arguments: [enrollmentID]) else {
            return nil
        }
        return (Self.registration(from: row), row["secret_salt"], row["secret_hash"])
    }

    public func registration(_ enrollmentID: String) throws -> Registration? {
        try read { db in try credentials(of: enrollmentID, in: db)?.0 }
    }

    /// Registrations whose ID starts with `prefix`, sorted by ID, after `after`, at most `limit`.
    public func registrations(prefix: String, after: String, limit: Int) throws -> [Registration] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM registration WHERE substr(enrollment_id, 1, length(?)) = ? AND enrollment_id > ?
                    ORDER BY enrollment_id LIMIT ?
                    """,
                arguments: [prefix, prefix, after, limit]
            ).map(Self.registration(from:))
        }
    }

    // MARK: - Certificates

    static func certificate(from row: Row) -> IssuedCertificate {
        let revokedAt: Double? = row["revoked_at"]
        return IssuedCertificate(
            serial: row["serial"],
            enrollmentID: row["enrollment_id"],
            notBefore: Date(timeIntervalSince1970: row["not_before"]),
            notAfter: Date(timeIntervalSince1970: row["not_after"]),
            der: row["der"],
            revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)),
            revocationReason: row["revocation_reason"]
        )
    }

    func insert(_ certificate: IssuedCertificate, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO certificate (serial, enrollment_id, not_before, not_after, der) VALUES (?, ?, ?, ?, ?)",
            arguments: [
                certificate.serial, certificate.enrollmentID, certificate.notBefore.timeIntervalSince1970,
                certificate.notAfter.timeIntervalSince1970, certificate.der,
            ]
        )
    }

    func certificates(of enrollmentID: String, in db: Database) throws -> [IssuedCertificate] {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM certificate WHERE enrollment_id = ? ORDER BY not_before, serial",
            arguments: [enrollmentID]
        ).map(Self.certificate(from:))
    }

    public func certificates(of enrollmentID: String) throws -> [IssuedCertificate] {
        try read { db in try certificates(of: enrollmentID, in: db) }
    }

    public func certificate(serial: String) throws -> IssuedCertificate? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM certificate WHERE serial = ?", arguments: [serial])
                .map(Self.certificate(from:))
        }
    }

    func revokedCertificates(in db: Database) throws -> [RevokedCertificate] {
        try Row.fetchAll(
            db,
            sql: "SELECT serial, revoked_at, revocation_reason FROM certificate WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial"
        ).map { row in
            RevokedCertificate(
                serial: row["serial"],
                revokedAt: Date(timeIntervalSince1970: row["revoked_at"]),
                reason: row["revocation_reason"]
            )
        }
    }

    // MARK: - CRL

    func currentCRL(in db: Database) throws -> (number: UInt64, der: [UInt8], signedAt: Date)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT number, der, signed_at FROM crl WHERE id = 1") else { return nil }
        let number: Int64 = row["number"]
        let der: Data = row["der"]
        let signedAt: Double = row["signed_at"]
        return (UInt64(number), Array(der), Date(timeIntervalSince1970: signedAt))
    }

    func storeCRL(number: UInt64, der: [UInt8], signedAt: Date, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO crl (id, number, der, signed_at) VALUES (1, ?, ?, ?)",
            arguments: [Int64(number), Data(der), signedAt.timeIntervalSince1970]
        )
    }
}
