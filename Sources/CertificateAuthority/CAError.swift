public import Identity
internal import Wire

/// Why the certificate authority refused a request. Each case says which identity, certificate or
/// input is at fault; the server maps every case to one gRPC status in one place.
public enum CAError: Error, Equatable, CustomStringConvertible {
    case invalidHostname(String)
    case invalidEnrollmentID(String)
    case invalidRole(String)
    case invalidRequest(String)
    case alreadyRegistered(String)
    case unknownIdentity(String)
    /// Wrong enrollment ID or secret; deliberately does not say which.
    case enrollmentDenied
    case lockedOut(enrollmentID: String)
    case notLocked(enrollmentID: String, failedAttempts: Int, limit: Int)
    case enrollmentsExhausted(enrollmentID: String, max: Int)
    case identityRevoked(String)
    case invalidCSR(String)
    case unknownSerial(String)
    case alreadyRevoked(serial: String)
    case storage(String)
    /// The file system holding the registration store has no space left; nothing was written.
    case diskFull

    public var description: String {
        switch self {
        case .invalidHostname(let name): "\(QuotedInput.quote(name)) is neither an IP address nor a DNS name"
        case .invalidEnrollmentID(let id): "invalid enrollment ID \(QuotedInput.quote(id)): use 1-64 characters of A-Z a-z 0-9 . _ @ -"
        case .invalidRole(let why): "invalid role: \(why)"
        case .invalidRequest(let why): why
        case .alreadyRegistered(let id): "identity \(QuotedInput.quote(id)) is already registered"
        case .unknownIdentity(let id): "no identity \(QuotedInput.quote(id)) is registered"
        case .enrollmentDenied: "enrollment ID or secret is wrong"
        case .lockedOut(let id): "identity \(QuotedInput.quote(id)) is locked after too many wrong secrets; an admin of its organisation must unlock it (medledger ca unlock), which issues a new secret"
        case .notLocked(let id, let failed, let limit):
            "identity \(QuotedInput.quote(id)) is not locked (\(failed) of \(limit) wrong secrets); nothing to unlock"
        case .enrollmentsExhausted(let id, let max): "identity \(QuotedInput.quote(id)) has used all \(max) of its enrollments"
        case .identityRevoked(let id): "identity \(QuotedInput.quote(id)) is revoked"
        case .invalidCSR(let why): "invalid certificate signing request: \(why)"
        case .unknownSerial(let serial): "no certificate with serial \(serial) was issued by this CA"
        case .alreadyRevoked(let serial): "certificate \(serial) is already revoked"
        case .storage(let why): "CA storage failed: \(why)"
        case .diskFull: "CA storage failed: no space left on the device"
        }
    }
}
