/// A function's single JSON argument. Its `Field` enumerates every key it accepts, so that the
/// contract refuses a misspelt or unexpected key instead of silently ignoring it.
public protocol EHRRequest: Codable, Sendable {
    associatedtype Field: CodingKey & CaseIterable
}

/// `{patientID}`: the argument of every per-patient function.
public struct PatientIDRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case patientID }
    public typealias Field = CodingKeys
    public var patientID: String

    public init(patientID: String) { self.patientID = patientID }
}

/// `{patientID, limit?}`: the argument of `ListAudit`; with `limit`, only the most recent
/// `limit` events (by time, then event ID), so a busy patient's trail can be followed in pages
/// that stay small.
public struct ListAuditRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case patientID, limit }
    public typealias Field = CodingKeys
    public var patientID: String
    public var limit: Int?

    public init(patientID: String, limit: Int? = nil) {
        self.patientID = patientID
        self.limit = limit
    }
}

/// `{recordID}`: the argument of the per-record functions.
public struct RecordIDRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case recordID }
    public typealias Field = CodingKeys
    public var recordID: String

    public init(recordID: String) { self.recordID = recordID }
}

/// `{studyID}`: the argument of functions about one study.
public struct StudyIDRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case studyID }
    public typealias Field = CodingKeys
    public var studyID: String

    public init(studyID: String) { self.studyID = studyID }
}

/// `{studyID, researcher}`: the argument of `StudyRecords`, which the researcher's own
/// organisation's node submits on behalf of `researcher`, the identity it authenticated.
public struct StudyRecordsRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case studyID, researcher }
    public typealias Field = CodingKeys
    public var studyID: String
    public var researcher: Reader

    public init(studyID: String, researcher: Reader) {
        self.studyID = studyID
        self.researcher = researcher
    }
}

/// `{}`: the argument of functions that take none.
public struct NoFieldsRequest: EHRRequest {
    public enum Field: CodingKey, CaseIterable {
        public static var allCases: [Field] { [] }
        public var stringValue: String { switch self {} }
        public var intValue: Int? { nil }
        public init?(stringValue: String) { nil }
        public init?(intValue: Int) { nil }
    }

    public init() {}
    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: Field.self)
    }
}

/// RegisterPatient.
public struct RegisterPatientRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case patientID, certificate }
    public typealias Field = CodingKeys
    public var patientID: String
    /// Base64 DER of the patient's certificate.
    public var certificate: String

    public init(patientID: String, certificate: String) {
        self.patientID = patientID
        self.certificate = certificate
    }
}

/// AddRecord: a new record, or a new version of one (`previousRecordID`).
public struct AddRecordRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case recordID, patientID, cid, plaintextSHA256, resourceType, category, keyDigests, previousRecordID
    }
    public typealias Field = CodingKeys
    public var recordID: String
    public var patientID: String
    public var cid: String
    public var plaintextSHA256: String
    public var resourceType: String
    public var category: String
    /// SHA-256 of each wrapped copy of the data key, by holder ("patient", "author", …).
    public var keyDigests: [String: String]
    public var previousRecordID: String?

    public init(
        recordID: String, patientID: String, cid: String, plaintextSHA256: String, resourceType: String, category: String,
        keyDigests: [String: String], previousRecordID: String? = nil
    ) {
        self.recordID = recordID
        self.patientID = patientID
        self.cid = cid
        self.plaintextSHA256 = plaintextSHA256
        self.resourceType = resourceType
        self.category = category
        self.keyDigests = keyDigests
        self.previousRecordID = previousRecordID
    }
}

/// OpenRecord: a read, for a purpose (break-glass with a justification).
public struct OpenRecordRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case recordID, purpose, justification }
    public typealias Field = CodingKeys
    public var recordID: String
    public var purpose: Purpose
    public var justification: String?

    public init(recordID: String, purpose: Purpose, justification: String? = nil) {
        self.recordID = recordID
        self.purpose = purpose
        self.justification = justification
    }
}

/// GrantConsent.
public struct GrantConsentRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case patientID, scope, grantee, purposes, categories, periodStart, periodEnd, provisions
    }
    public typealias Field = CodingKeys
    public var patientID: String
    public var scope: ConsentScope
    public var grantee: Grantee
    public var purposes: [Purpose]
    public var categories: [String]
    public var periodStart: Int64?
    public var periodEnd: Int64?
    public var provisions: [Provision]?

    public init(
        patientID: String, scope: ConsentScope, grantee: Grantee, purposes: [Purpose], categories: [String],
        periodStart: Int64? = nil, periodEnd: Int64? = nil, provisions: [Provision]? = nil
    ) {
        self.patientID = patientID
        self.scope = scope
        self.grantee = grantee
        self.purposes = purposes
        self.categories = categories
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.provisions = provisions
    }
}

/// RevokeConsent.
public struct RevokeConsentRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case patientID, consentID }
    public typealias Field = CodingKeys
    public var patientID: String
    public var consentID: String

    public init(patientID: String, consentID: String) {
        self.patientID = patientID
        self.consentID = consentID
    }
}

/// RequestAccess: a research study asks for categories of records, for a purpose.
public struct RequestAccessRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case studyID, purpose, categories, periodStart, periodEnd, description
    }
    public typealias Field = CodingKeys
    public var studyID: String
    public var purpose: Purpose
    public var categories: [String]
    public var periodStart: Int64?
    public var periodEnd: Int64?
    public var description: String

    public init(
        studyID: String, purpose: Purpose, categories: [String], periodStart: Int64? = nil, periodEnd: Int64? = nil,
        description: String
    ) {
        self.studyID = studyID
        self.purpose = purpose
        self.categories = categories
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.description = description
    }
}

/// RespondToAccessRequest: a patient's answer to a study.
public struct RespondRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case studyID, patientID, decision }
    public typealias Field = CodingKeys
    public var studyID: String
    public var patientID: String
    public var decision: AccessDecision

    public init(studyID: String, patientID: String, decision: AccessDecision) {
        self.studyID = studyID
        self.patientID = patientID
        self.decision = decision
    }
}
