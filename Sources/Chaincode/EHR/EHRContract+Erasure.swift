import Identity
import Schema
public import EHRModel

/// `RequestErasure` (by the patient) and `ApproveErasure` (by an admin of the authoring organisation).
extension EHRContract {

    /// The payload of the `RecordErased` event: content stores shred the record's keys and blocks.

    /// RequestErasure {recordID} → `ErasureRequest`; only the record's patient; 409 if already
    /// requested or erased.
    static func requestErasure(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RecordIDRequest.self, stub)
        let record = try existingRecord(request.recordID, stub)
        let patient = try existingPatient(record.patientID, stub)
        try requirePatient(patient, stub, to: "request erasure of record \(record.recordID)")
        guard !record.erased else { throw rejected(409, "record \(record.recordID) is already erased") }
        let key = try EHRKey.make(EHRKey.erasure, record.recordID)
        guard try stub.getState(key) == nil else {
            throw rejected(409, "erasure of record \(record.recordID) has already been requested")
        }
        let erasure = ErasureRequest(recordID: record.recordID, patientID: patient.patientID, requestedAt: now(stub))
        try store(erasure, at: key, stub)
        return try respond(erasure)
    }

    /// ApproveErasure {recordID} → the erased `RecordReference`. Only an admin of the authoring
    /// organisation, only after the patient asked. Marking the record erased is the one change a
    /// record ever sees; it is audited ("erase") and announced by the event `RecordErased`.
    static func approveErasure(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RecordIDRequest.self, stub)
        var record = try existingRecord(request.recordID, stub)
        guard stub.creator.role == .admin, stub.creator.mspID == record.authorMSP else {
            throw rejected(403, "\(who(stub)) may not approve erasure of record \(record.recordID): only an admin of \(record.authorMSP) may")
        }
        guard let erasure = try load(ErasureRequest.self, at: try EHRKey.make(EHRKey.erasure, record.recordID), stub) else {
            throw rejected(404, "patient \(record.patientID) has not requested erasure of record \(record.recordID)")
        }
        guard !record.erased else { throw rejected(409, "record \(record.recordID) is already erased") }
        // Read so that the patient's home organisation endorses the erasure too (`dataOwners`).
        _ = try existingPatient(record.patientID, stub)
        let time = now(stub)
        record.erased = true
        record.erasedAt = time
        try store(record, at: try EHRKey.make(EHRKey.record, record.recordID), stub)
        let audit = AuditEvent(
            eventID: stub.txID, recordedAt: time, action: "erase", reader: reader(stub), patientID: record.patientID,
            recordID: record.recordID, purpose: "PATRQT", outcome: .permit,
            rule: "erasure requested by patient \(erasure.patientID) at \(erasure.requestedAt), approved by admin of \(record.authorMSP)"
        )
        try writeAudit(audit, stub)
        try stub.setEvent(name: EHREvent.recordErased.rawValue, payload: try encode(ErasureNotice(recordID: record.recordID, cid: record.cid)))
        return try respond(record)
    }
}
