import Foundation
import LedgerCore
public import Schema
public import EHRModel

/// The health-record contract: patients, record references, consents, audited reads, break-glass,
/// research access and erasure. Every function takes one JSON object and returns JSON (sorted keys).
///
/// | function | caller | result |
/// |---|---|---|
/// | `RegisterPatient` | clinician or admin of the patient's organisation | `Patient` |
/// | `GetPatient` | any member but researchers | `Patient` |
/// | `ListPatients` | clinicians and admins (their organisation's), auditors (all), a patient (their own entry) | `[Patient]` |
/// | `AddRecord` | clinician | `RecordReference` |
/// | `ListRecords` | the patient, auditors, clinicians/admins of the patient's org (all) or of an authoring org (theirs) | `[RecordReference]` |
/// | `GrantConsent` / `RevokeConsent` | the patient | `Consent` |
/// | `ListConsents` | the patient, auditors | `[Consent]` |
/// | `OpenRecord` | anyone; always 200 and audited, permit or deny | `{decision, record?, auditID}` |
/// | `ListAudit` | the patient, auditors | `[AuditEvent]` (all, or the `limit` most recent) |
/// | `RequestAccess` | researcher | `AccessRequest` |
/// | `ListAccessRequests` | any member | `[AccessRequest]` |
/// | `RespondToAccessRequest` | the patient | `AccessResponse` |
/// | `TallyAccessResponses` | researchers and admins of the study's org, auditors | `AccessTally` (counts only) |
/// | `StudyRecords` | a node (peer) of the study's org, for a researcher or backend client of it; audited per patient | `{studyID, patients: [{patientID, records}]}` |
/// | `RequestErasure` | the patient | `ErasureRequest` |
/// | `ApproveErasure` | admin of the authoring org | `RecordReference` (erased) |
/// | `RegisterBackendClient` / `RevokeBackendClient` | admin of the org whose studies it names | `BackendClient` |
/// | `GetBackendClient` | any member | `BackendClient` |
///
/// Reads of patient data (`OpenRecord`, `StudyRecords`) write audit events, so they must be
/// submitted, not merely evaluated. Refusals: 400 bad argument, 403 not allowed, 404 missing, 409 exists.
public struct EHRContract: Contract {
    /// The contract's name, also the namespace of its state.
    public static let contractName = EHREvent.contractName
    public let name = EHRContract.contractName
    public let indexedFields = ["patientID", "cid"]
    /// How long a justified break-glass read lets the clinician read the patient's records again
    /// without a new justification, in seconds.
    public let breakGlassDuration: Int64

    /// The world-state key of record `recordID`, for nodes that read a record's current state
    /// (key release, export, erasure) without running the contract.
    public static func recordKey(_ recordID: String) throws -> String {
        try EHRKey.make(EHRKey.record, recordID)
    }

    /// The world-state key of consent `consentID` of patient `patientID`.
    public static func consentKey(patientID: String, consentID: String) throws -> String {
        try EHRKey.make(EHRKey.consent, patientID, consentID)
    }

    /// The world-state key of patient `patientID`'s answer to study `studyID`.
    public static func accessResponseKey(studyID: String, patientID: String) throws -> String {
        try EHRKey.make(EHRKey.response, studyID, patientID)
    }

    /// The world-state key of backend client `clientID`'s registration.
    public static func backendClientKey(_ clientID: String) throws -> String {
        try EHRKey.make(EHRKey.backendClient, clientID)
    }

    /// The world-state key of patient `patientID`.
    public static func patientKey(_ patientID: String) throws -> String {
        try EHRKey.make(EHRKey.patient, patientID)
    }

    /// Who owns a patient's data: the home organisation their entry names (`Patient.mspID`). Every
    /// function about a patient reads that entry, so on a channel with this rule a peer of the
    /// patient's home organisation endorses every such transaction.
    public static let dataOwners = [
        Medledger_V1_DataOwnerRule(chaincode: contractName, objectType: EHRKey.patient, ownerField: "mspID")
    ]

    public init(breakGlassDuration: Int64 = 4 * 3600) {
        self.breakGlassDuration = breakGlassDuration
    }

    public var functions: [String: ContractFunction] {
        let breakGlassDuration = breakGlassDuration
        return [
            "RegisterPatient": Self.registerPatient,
            "GetPatient": Self.getPatient,
            "ListPatients": Self.listPatients,
            "AddRecord": Self.addRecord,
            "ListRecords": Self.listRecords,
            "GrantConsent": Self.grantConsent,
            "RevokeConsent": Self.revokeConsent,
            "ListConsents": Self.listConsents,
            "OpenRecord": { stub in try Self.openRecord(stub, breakGlassDuration: breakGlassDuration) },
            "ListAudit": Self.listAudit,
            "RequestAccess": Self.requestAccess,
            "ListAccessRequests": Self.listAccessRequests,
            "RespondToAccessRequest": Self.respondToAccessRequest,
            "TallyAccessResponses": Self.tallyAccessResponses,
            "StudyRecords": Self.studyRecords,
            "RequestErasure": Self.requestErasure,
            "ApproveErasure": Self.approveErasure,
            "RegisterBackendClient": Self.registerBackendClient,
            "RevokeBackendClient": Self.revokeBackendClient,
            "GetBackendClient": Self.getBackendClient,
        ]
    }
}

/// Loading the facts most functions start from; 404 naming what is missing.
extension EHRContract {
    static func existingPatient(_ patientID: String, _ stub: ChaincodeStub) throws -> Patient {
        try validatePatientID(patientID)
        guard let patient = try load(Patient.self, at: try EHRKey.make(EHRKey.patient, patientID), stub) else {
            throw rejected(404, "patient \(patientID) is not registered")
        }
        return patient
    }

    static func existingRecord(_ recordID: String, _ stub: ChaincodeStub, field: String = "recordID") throws -> RecordReference {
        try validateIdentifier(recordID, field: field)
        guard let record = try load(RecordReference.self, at: try EHRKey.make(EHRKey.record, recordID), stub) else {
            throw rejected(404, "record \(recordID) does not exist")
        }
        return record
    }

    static func records(of patientID: String, _ stub: ChaincodeStub) throws -> [RecordReference] {
        let index = try stub.getStateByPartialCompositeKey(objectType: EHRKey.patientRecord, attributes: [patientID])
        return try index.entries.map { entry in
            let recordID = String(decoding: entry.value, as: UTF8.self)
            guard let record = try load(RecordReference.self, at: try EHRKey.make(EHRKey.record, recordID), stub) else {
                throw rejected(500, "the record index of patient \(patientID) names record \(recordID), which does not exist")
            }
            return record
        }
    }

    static func consents(of patientID: String, _ stub: ChaincodeStub) throws -> [Consent] {
        try loadAll(Consent.self, EHRKey.consent, [patientID], stub)
    }

    /// The caller's break-glass grant for the patient, as a list for the evaluator.
    static func grants(of patientID: String, for reader: Reader, _ stub: ChaincodeStub) throws -> [BreakGlassGrant] {
        let key = try EHRKey.make(EHRKey.grant, patientID, reader.mspID, reader.enrollmentID)
        return try load(BreakGlassGrant.self, at: key, stub).map { [$0] } ?? []
    }

    /// Audit keys sort by the proposal's time to the nanosecond, so a patient's trail lists in
    /// the order things happened even within one second.
    static func writeAudit(_ event: AuditEvent, _ stub: ChaincodeStub) throws {
        let time = String(format: "%020lld%09d", stub.timestamp.seconds, stub.timestamp.nanos)
        try store(event, at: try EHRKey.make(EHRKey.audit, event.patientID, time, event.eventID), stub)
    }
}
