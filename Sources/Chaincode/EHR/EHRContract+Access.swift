import Identity
import Schema
public import EHRModel

/// `OpenRecord` (the audited read) and `ListAudit`.
extension EHRContract {

    /// OpenRecord {recordID, purpose, justification?} → `OpenRecordResult`, status 200 whether
    /// permitted or denied, so that the audit event of a denial commits too. A justified
    /// break-glass read also records a grant and sets the event `BreakGlass`.
    static func openRecord(_ stub: ChaincodeStub, breakGlassDuration: Int64) throws -> Medledger_V1_Response {
        let request = try request(OpenRecordRequest.self, stub)
        let record = try existingRecord(request.recordID, stub)
        let patient = try existingPatient(record.patientID, stub)
        let reader = reader(stub)
        let time = now(stub)
        let query = AccessQuery(
            reader: reader, record: record, patient: patient, purpose: request.purpose, time: time,
            justification: request.justification
        )
        // Research consents allow de-identified study exports, never reading the identified record.
        let evaluation =
            request.purpose == .research
            ? ConsentEvaluator.Evaluation(decision: Decision(
                outcome: .deny,
                rule: "purpose HRESCH never opens an identified record: research data comes only de-identified, through a study's StudyRecords export"))
            : ConsentEvaluator.evaluate(
                query, consents: try consents(of: patient.patientID, stub), grants: try grants(of: patient.patientID, for: reader, stub))
        var action = "open"
        var breakGlassExpiresAt: Int64?
        switch evaluation.action {
        case .recordBreakGlassGrant(let justification):
            action = "break-glass"
            breakGlassExpiresAt = time + breakGlassDuration
            try recordBreakGlass(justification, patient: patient, record: record, reader: reader, until: time + breakGlassDuration, stub)
        case .notifyBreakGlass(let grant):
            action = "break-glass"
            breakGlassExpiresAt = grant.expiresAt
            try notifyBreakGlass(grant.justification, patient: patient, record: record, reader: reader, until: grant.expiresAt, stub)
        case .none:
            break
        }
        let audit = AuditEvent(
            eventID: stub.txID, recordedAt: time, action: action, reader: reader, patientID: patient.patientID,
            recordID: record.recordID, purpose: request.purpose.rawValue, outcome: evaluation.decision.outcome,
            rule: evaluation.decision.rule, justification: request.justification
        )
        try writeAudit(audit, stub)
        let permitted = evaluation.decision.outcome == .permit
        return try respond(
            OpenRecordResult(
                decision: evaluation.decision, record: permitted ? record : nil, auditID: audit.eventID, breakGlassExpiresAt: breakGlassExpiresAt))
    }


    private static func recordBreakGlass(
        _ justification: String, patient: Patient, record: RecordReference, reader: Reader, until expiresAt: Int64,
        _ stub: ChaincodeStub
    ) throws {
        let grant = BreakGlassGrant(
            patientID: patient.patientID, mspID: reader.mspID, enrollmentID: reader.enrollmentID,
            justification: justification, grantedAt: now(stub), expiresAt: expiresAt
        )
        try store(grant, at: try EHRKey.make(EHRKey.grant, patient.patientID, reader.mspID, reader.enrollmentID), stub)
        try notifyBreakGlass(justification, patient: patient, record: record, reader: reader, until: expiresAt, stub)
    }

    /// Every break-glass read, with a new grant or under one, tells the patient and the
    /// patient's organisation through the `BreakGlass` event.
    private static func notifyBreakGlass(
        _ justification: String, patient: Patient, record: RecordReference, reader: Reader, until expiresAt: Int64,
        _ stub: ChaincodeStub
    ) throws {
        let notice = BreakGlassNotice(
            patientID: patient.patientID, patientMSP: patient.mspID, recordID: record.recordID, reader: reader,
            justification: justification, expiresAt: expiresAt
        )
        try stub.setEvent(name: EHREvent.breakGlass.rawValue, payload: try encode(notice))
    }

    /// ListAudit {patientID} → `[AuditEvent]`, oldest first (key order, see `writeAudit`), for the
    /// patient or an auditor.
    /// The most events one `ListAudit` page may ask for.
    static let maximumAuditPage = 1000

    static func listAudit(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(ListAuditRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        guard isPatient(patient, stub.creator) || stub.creator.role == .auditor else {
            throw rejected(403, "\(who(stub)) may not read the audit trail of patient \(patient.patientID): only the patient and auditors may")
        }
        if let limit = request.limit, !(1...maximumAuditPage).contains(limit) {
            throw rejected(400, "field \"limit\" must be 1 to \(maximumAuditPage); got \(limit)")
        }
        let events = try loadAll(AuditEvent.self, EHRKey.audit, [patient.patientID], stub)
        guard let limit = request.limit else { return try respond(events) }
        let recent = events.sorted { ($0.recordedAt, $0.eventID) < ($1.recordedAt, $1.eventID) }.suffix(limit)
        return try respond(Array(recent))
    }
}
