/// A patient known to the ledger: a pseudonymous ID bound to the certificate the patient signs
/// with. The ID carries no identifying data; the certificate proves which identity is the patient.
public struct Patient: Codable, Sendable, Equatable {
    public var patientID: String
    /// The organisation whose CA issued the patient's certificate.
    public var mspID: String
    /// The common name (CN) of the patient's certificate.
    public var enrollmentID: String
    /// The patient's certificate, base64 DER.
    public var certificate: String
    /// Enrollment ID of the clinician or admin (of `mspID`) who registered the patient.
    public var registeredBy: String
    public var registeredAt: Int64

    public init(
        patientID: String, mspID: String, enrollmentID: String, certificate: String, registeredBy: String,
        registeredAt: Int64
    ) {
        self.patientID = patientID
        self.mspID = mspID
        self.enrollmentID = enrollmentID
        self.certificate = certificate
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
    }
}

/// What the chain knows of one health record: where its encrypted content lives (`cid`), digests
/// to check it, and FHIR metadata. Never the content itself. Immutable once written, except that
/// an approved erasure sets `erased` and `erasedAt`.
public struct RecordReference: Codable, Sendable, Equatable {
    public var recordID: String
    public var patientID: String
    /// The content identifier of the encrypted record in the content store.
    public var cid: String
    /// Lowercase hex SHA-256 of the plaintext, so a reader can verify what it decrypted.
    public var plaintextSHA256: String
    /// The FHIR resource type, such as "Observation".
    public var resourceType: String
    /// The category consents refer to: "lab", "imaging", "note", "prescription", "mental-health"…
    public var category: String
    public var authorMSP: String
    /// Enrollment ID of the clinician who added the record.
    public var author: String
    public var createdAt: Int64
    /// 1 for a new record; one more than the corrected record's for a correction.
    public var version: Int64
    /// The record this one corrects, if it is a correction.
    public var previousRecordID: String?
    /// Reader label ("patient", "author", …) → hex SHA-256 of the data key wrapped for that
    /// reader, which is held off chain.
    public var keyDigests: [String: String]
    public var erased: Bool
    public var erasedAt: Int64?

    public init(
        recordID: String, patientID: String, cid: String, plaintextSHA256: String, resourceType: String,
        category: String, authorMSP: String, author: String, createdAt: Int64, version: Int64 = 1,
        previousRecordID: String? = nil, keyDigests: [String: String], erased: Bool = false, erasedAt: Int64? = nil
    ) {
        self.recordID = recordID
        self.patientID = patientID
        self.cid = cid
        self.plaintextSHA256 = plaintextSHA256
        self.resourceType = resourceType
        self.category = category
        self.authorMSP = authorMSP
        self.author = author
        self.createdAt = createdAt
        self.version = version
        self.previousRecordID = previousRecordID
        self.keyDigests = keyDigests
        self.erased = erased
        self.erasedAt = erasedAt
    }
}

/// A patient's request that a record be erased; an admin of the authoring organisation approves it.
public struct ErasureRequest: Codable, Sendable, Equatable {
    public var recordID: String
    public var patientID: String
    public var requestedAt: Int64

    public init(recordID: String, patientID: String, requestedAt: Int64) {
        self.recordID = recordID
        self.patientID = patientID
        self.requestedAt = requestedAt
    }
}

/// The labels of `RecordReference.keyDigests`: who each wrapped copy of a record's data key is for.
public enum KeyCopy {
    /// Wrapped to the patient's certificate.
    public static let patient = "patient"
    /// Wrapped to the custodian (peer) of the authoring organisation.
    public static let author = "author"
    /// Wrapped to the custodian of the patient's home organisation (the one whose CA issued the
    /// patient's certificate), when that is not the authoring organisation; that organisation's
    /// node also keeps a replica of the record's content.
    public static let home = "home"
}
