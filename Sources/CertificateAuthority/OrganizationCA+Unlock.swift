public import Foundation
internal import GRDB

/// Unlocking an identity that too many wrong secrets locked.
extension OrganizationCA {
    /// One unlock, as the CA records it: who unlocked which identity, when, after how many wrong secrets.
    public struct Unlock: Sendable, Equatable {
        public var enrollmentID: String
        /// The admin who unlocked it, as `enrollmentID@mspID`.
        public var unlockedBy: String
        public var unlockedAt: Date
        /// The wrong secrets in a row that had locked it.
        public var failedAttempts: Int

        public init(enrollmentID: String, unlockedBy: String, unlockedAt: Date, failedAttempts: Int) {
            self.enrollmentID = enrollmentID
            self.unlockedBy = unlockedBy
            self.unlockedAt = unlockedAt
            self.failedAttempts = failedAttempts
        }
    }

    /// Unlocks `enrollmentID` for `admin` (`enrollmentID@mspID`, recorded): resets its wrong-secret
    /// count and replaces its secret with a new one-time secret, returned once — the old one may
    /// have been partly guessed, and the number of wrong secrets that had locked it. Refused for an
    /// identity that is not locked, unknown or revoked.
    public func unlock(_ enrollmentID: String, by admin: String, now: Date = Date()) throws -> (secret: String, failedAttempts: Int) {
        let secret = EnrollmentSecret.generate()
        let (salt, hash) = try EnrollmentSecret.hash(secret)
        let maxFailedAttempts = policy.maxFailedAttempts
        let failed = try store.write { db -> Int in
            guard let (registration, _, _) = try store.credentials(of: enrollmentID, in: db) else {
                throw CAError.unknownIdentity(enrollmentID)
            }
            guard !registration.revoked else { throw CAError.identityRevoked(enrollmentID) }
            guard registration.failedAttempts >= maxFailedAttempts else {
                throw CAError.notLocked(enrollmentID: enrollmentID, failedAttempts: registration.failedAttempts, limit: maxFailedAttempts)
            }
            try db.execute(
                sql: "UPDATE registration SET failed_attempts = 0, secret_salt = ?, secret_hash = ? WHERE enrollment_id = ?",
                arguments: [salt, hash, enrollmentID])
            try db.execute(
                sql: "INSERT INTO unlock (enrollment_id, unlocked_by, unlocked_at, failed_attempts) VALUES (?, ?, ?, ?)",
                arguments: [enrollmentID, admin, now.timeIntervalSince1970, registration.failedAttempts])
            return registration.failedAttempts
        }
        return (secret, failed)
    }

    /// Every unlock of `enrollmentID`, oldest first.
    public func unlocks(of enrollmentID: String) throws -> [Unlock] {
        try store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM unlock WHERE enrollment_id = ? ORDER BY unlocked_at, id", arguments: [enrollmentID]
            ).map { row in
                Unlock(
                    enrollmentID: row["enrollment_id"], unlockedBy: row["unlocked_by"],
                    unlockedAt: Date(timeIntervalSince1970: row["unlocked_at"]), failedAttempts: row["failed_attempts"])
            }
        }
    }
}
