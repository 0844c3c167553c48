public import EHRModel
public import Foundation
internal import GRPCCore
internal import Schema

extension HealthRecords {
    /// Files a research access request for a study (researchers).
    @discardableResult
    public func requestAccess(
        studyID: String, categories: [String], description: String, periodStart: Int64? = nil, periodEnd: Int64? = nil
    ) async throws -> AccessRequest {
        try await submit(
            "RequestAccess",
            RequestAccessRequest(
                studyID: studyID, purpose: .research, categories: categories, periodStart: periodStart, periodEnd: periodEnd,
                description: description)
        ).response
    }

    /// Every research access request on the channel.
    public func accessRequests() async throws -> [AccessRequest] {
        try await evaluate("ListAccessRequests", NoFieldsRequest())
    }

    /// How patients answered a study, as counts (researchers and admins of the study's
    /// organisation, auditors).
    public func tally(ofStudy studyID: String) async throws -> AccessTally {
        try await evaluate("TallyAccessResponses", StudyIDRequest(studyID: studyID))
    }

    /// The patient's answer to a study: "approved" (a research consent) or "declined".
    @discardableResult
    public func respond(toStudy studyID: String, patientID: String, approve: Bool) async throws -> AccessResponse {
        try await submit(
            "RespondToAccessRequest", RespondRequest(studyID: studyID, patientID: patientID, decision: approve ? .approved : .declined)
        ).response
    }

    /// A study's de-identified export (researchers of the requesting organisation), from their
    /// own organisation's node: the node submits `StudyRecords` on the researcher's behalf (the
    /// ledger picks approving patients' records and audits the export, naming the researcher),
    /// keeps its answer, which names patients, and streams the records as FHIR R4 NDJSON,
    /// de-identified.
    public func exportStudy(_ studyID: String) async throws -> StudyDownload {
        var request = Medledger_V1_ExportRequest()
        request.channelID = ledger.channel
        request.studyID = studyID
        return try await research.export(request: ClientRequest(message: request), options: options) { response in
            var download = StudyDownload(txID: "", patients: 0, resources: 0, withheld: 0, ndjson: Data())
            for try await message in response.messages {
                if !message.transactionID.isEmpty {
                    download.txID = message.transactionID
                    download.patients = Int(message.patients)
                }
                download.ndjson.append(message.ndjson)
                download.resources += Int(message.resources)
                download.withheld += Int(message.withheld)
            }
            return download
        }
    }

    /// Asks the patient's erasure of a record (the patient).
    public func requestErasure(of recordID: String) async throws {
        _ = try await submit("RequestErasure", RecordIDRequest(recordID: recordID), as: AnyJSON.self)
    }

    /// Approves an erasure (an admin of the authoring organisation). Once it commits, the node
    /// destroys every wrapped key of the record and collects its content (it does so for every
    /// erasure it sees committed; the `ShredKeys` call here only makes sure before returning).
    @discardableResult
    public func approveErasure(of recordID: String) async throws -> RecordReference {
        let (erased, _) = try await submit("ApproveErasure", RecordIDRequest(recordID: recordID), as: RecordReference.self)
        var shred = Medledger_V1_ShredKeysRequest()
        shred.channelID = ledger.channel
        shred.recordID = recordID
        _ = try await records.shredKeys(shred, options: options)
        return erased
    }
}

/// A study export as received: FHIR R4 NDJSON, one de-identified resource per line.
public struct StudyDownload: Sendable {
    /// The `StudyRecords` transaction the node submitted for the researcher: the export's audit
    /// record.
    public var txID: String
    /// How many approving patients the ledger included.
    public var patients: Int
    /// How many resources the export carries (lines of `ndjson`).
    public var resources: Int
    /// Records of approving patients the node did not export: not a resource type the export
    /// carries, or one whose modifier extensions de-identification could not keep.
    public var withheld: Int
    public var ndjson: Data
}

