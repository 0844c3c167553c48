/// Who reads: the organisation, enrollment ID and certificate role name of the caller.
public struct Reader: Codable, Sendable, Equatable {
    public var mspID: String
    public var enrollmentID: String
    /// The certificate role name: "patient", "clinician", "researcher", "admin", "auditor"…
    public var role: String

    public init(mspID: String, enrollmentID: String, role: String) {
        self.mspID = mspID
        self.enrollmentID = enrollmentID
        self.role = role
    }
}

/// The answer to one access question, with the rule that decided it in words a patient can read.
public struct Decision: Codable, Sendable, Equatable {
    public var outcome: Outcome
    public var rule: String
    /// The consent that decided, if one did.
    public var consentID: String?

    public init(outcome: Outcome, rule: String, consentID: String? = nil) {
        self.outcome = outcome
        self.rule = rule
        self.consentID = consentID
    }
}

/// One access to patient data, permitted or denied, as written on the ledger (FHIR R4 `AuditEvent`).
public struct AuditEvent: Codable, Sendable, Equatable {
    /// The ID of the transaction that recorded the event.
    public var eventID: String
    public var recordedAt: Int64
    /// "open", "break-glass", "export" or "erase".
    public var action: String
    public var reader: Reader
    public var patientID: String
    public var recordID: String?
    public var studyID: String?
    /// A PurposeOfUse code: "TREAT", "ETREAT", "HRESCH", or "PATRQT" for a patient-requested erasure.
    public var purpose: String
    public var outcome: Outcome
    /// The rule that decided.
    public var rule: String
    public var justification: String?

    public init(
        eventID: String, recordedAt: Int64, action: String, reader: Reader, patientID: String, recordID: String? = nil,
        studyID: String? = nil, purpose: String, outcome: Outcome, rule: String, justification: String? = nil
    ) {
        self.eventID = eventID
        self.recordedAt = recordedAt
        self.action = action
        self.reader = reader
        self.patientID = patientID
        self.recordID = recordID
        self.studyID = studyID
        self.purpose = purpose
        self.outcome = outcome
        self.rule = rule
        self.justification = justification
    }
}

/// Emergency access to one patient's records for one clinician, from `grantedAt` until (not
/// including) `expiresAt`; created by a justified break-glass read.
public struct BreakGlassGrant: Codable, Sendable, Equatable {
    public var patientID: String
    public var mspID: String
    public var enrollmentID: String
    public var justification: String
    public var grantedAt: Int64
    public var expiresAt: Int64

    public init(patientID: String, mspID: String, enrollmentID: String, justification: String, grantedAt: Int64, expiresAt: Int64) {
        self.patientID = patientID
        self.mspID = mspID
        self.enrollmentID = enrollmentID
        self.justification = justification
        self.grantedAt = grantedAt
        self.expiresAt = expiresAt
    }
}

/// The payload of the `BreakGlass` chaincode event: tells the patient and the patient's
/// organisation (`patientMSP`) that someone used emergency access, who, why and until when.
public struct BreakGlassNotice: Codable, Sendable, Equatable {
    public var patientID: String
    public var patientMSP: String
    public var recordID: String
    public var reader: Reader
    public var justification: String
    public var expiresAt: Int64

    public init(patientID: String, patientMSP: String, recordID: String, reader: Reader, justification: String, expiresAt: Int64) {
        self.patientID = patientID
        self.patientMSP = patientMSP
        self.recordID = recordID
        self.reader = reader
        self.justification = justification
        self.expiresAt = expiresAt
    }
}
