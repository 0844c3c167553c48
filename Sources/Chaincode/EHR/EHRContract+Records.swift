import Foundation
import Identity
import Schema
public import EHRModel

/// `AddRecord` and `ListRecords`.
extension EHRContract {

    /// AddRecord {recordID, patientID, cid, plaintextSHA256, resourceType, category, keyDigests,
    /// previousRecordID?} → `RecordReference`. The caller (a clinician) becomes the author; a
    /// correction names the record it corrects, which stays as it was.
    static func addRecord(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(AddRecordRequest.self, stub)
        try requireRole([.clinician], stub, to: "add records")
        try validateIdentifier(request.recordID, field: "recordID")
        try validatePatientID(request.patientID)
        try validateNonEmpty(request.cid, field: "cid")
        try validateSHA256Hex(request.plaintextSHA256, field: "plaintextSHA256")
        try validateNonEmpty(request.resourceType, field: "resourceType")
        try validateNonEmpty(request.category, field: "category")
        for label in [KeyCopy.patient, KeyCopy.author] where request.keyDigests[label] == nil {
            throw rejected(400, "field \"keyDigests\" must have a \"\(label)\" entry")
        }
        // Sorted, so that every peer names the same bad entry.
        for (label, digest) in request.keyDigests.sorted(by: { $0.key < $1.key }) {
            try validateSHA256Hex(digest, field: "keyDigests.\(label)")
        }
        let recordKey = try EHRKey.make(EHRKey.record, request.recordID)
        guard try stub.getState(recordKey) == nil else {
            throw rejected(409, "record \(request.recordID) already exists")
        }
        let patient = try existingPatient(request.patientID, stub)
        // The patient's home organisation keeps a copy of the key (and a replica of the content),
        // so its node can serve the record when the author's is down.
        if patient.mspID != stub.creator.mspID, request.keyDigests[KeyCopy.home] == nil {
            throw rejected(
                400,
                "field \"keyDigests\" must have a \"home\" entry: patient \(patient.patientID)'s home organisation \(patient.mspID) is not \(stub.creator.mspID), so its node must hold a copy of the key")
        }
        var version: Int64 = 1
        if let previousID = request.previousRecordID {
            version = try correctedVersion(of: previousID, by: request, stub)
        }
        let record = RecordReference(
            recordID: request.recordID, patientID: request.patientID, cid: request.cid,
            plaintextSHA256: request.plaintextSHA256.lowercased(), resourceType: request.resourceType,
            category: request.category, authorMSP: stub.creator.mspID, author: stub.creator.enrollmentID,
            createdAt: now(stub), version: version, previousRecordID: request.previousRecordID,
            keyDigests: request.keyDigests.mapValues { $0.lowercased() }
        )
        try store(record, at: recordKey, stub)
        try stub.putState(try EHRKey.make(EHRKey.patientRecord, record.patientID, record.recordID), Data(record.recordID.utf8))
        return try respond(record)
    }

    /// The version of a correction of `previousID`, which must be a live, uncorrected record of
    /// the same patient; records the correction link.
    private static func correctedVersion(of previousID: String, by request: AddRecordRequest, _ stub: ChaincodeStub) throws -> Int64 {
        let previous = try existingRecord(previousID, stub, field: "previousRecordID")
        guard previous.patientID == request.patientID else {
            throw rejected(400, "field \"previousRecordID\": record \(previousID) belongs to another patient")
        }
        guard !previous.erased else {
            throw rejected(409, "record \(previousID) is erased and cannot be corrected")
        }
        let linkKey = try EHRKey.make(EHRKey.supersededBy, previousID)
        if let newer = try stub.getState(linkKey) {
            throw rejected(409, "record \(previousID) was already corrected by \(String(decoding: newer, as: UTF8.self)); correct that one")
        }
        try stub.putState(linkKey, Data(request.recordID.utf8))
        return previous.version + 1
    }

    /// ListRecords {patientID} → `[RecordReference]` in record ID order: all of them for the
    /// patient, auditors and clinicians/admins of the patient's organisation; only their own for
    /// clinicians/admins of another organisation that authored some.
    static func listRecords(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(PatientIDRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        let records = try records(of: patient.patientID, stub)
        let caller = stub.creator
        if isPatient(patient, caller) || caller.role == .auditor {
            return try respond(records)
        }
        if caller.role == .clinician || caller.role == .admin {
            if caller.mspID == patient.mspID { return try respond(records) }
            let authored = records.filter { $0.authorMSP == caller.mspID }
            if !authored.isEmpty { return try respond(authored) }
        }
        throw rejected(
            403,
            "\(who(stub)) may not list the records of patient \(patient.patientID): only the patient, auditors, and clinicians or admins of \(patient.mspID) or of an organisation that authored one"
        )
    }
}
