internal import Foundation

// The JSON arguments of the `ehr` contract's functions, as the SDK sends them (the contract
// rejects missing or unexpected fields with a 400 naming the field).

/// `{patientID}`, the request of every per-patient query.
struct PatientQuery: Encodable {
    var patientID: String
}

struct RecordQuery: Encodable {
    var recordID: String
}

struct StudyQuery: Encodable {
    var studyID: String
}

struct EmptyRequest: Encodable {}

struct RegisterPatientRequest: Encodable {
    var patientID: String
    var certificate: String
}

struct AddRecordRequest: Encodable {
    var recordID, patientID, cid, plaintextSHA256, resourceType, category: String
    var keyDigests: [String: String]
    var previousRecordID: String?
}

struct OpenRecordRequest: Encodable {
    var recordID: String
    var purpose: String
    var justification: String?
}

struct RevokeConsentRequest: Encodable {
    var patientID: String
    var consentID: String
}

struct RequestAccessRequest: Encodable {
    var studyID, purpose, description: String
    var categories: [String]
    var periodStart, periodEnd: Int64?
}

struct RespondToAccessRequest: Encodable {
    var studyID, patientID, decision: String
}

/// A response whose content the caller does not need.
struct AnyJSON: Decodable {
    init(from decoder: any Decoder) throws {}
}
