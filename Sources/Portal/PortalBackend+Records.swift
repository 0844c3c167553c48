internal import EHRModel
internal import Foundation
internal import Hummingbird
internal import MedLedgerKit

/// Opening a record (patients and clinicians): the ledger decides and audits, the key is unwrapped
/// and the content decrypted and checked here.
extension PortalBackend {
    func addRecordRoutes(to router: Router<PortalContext>) {
        router.get("/records/{record}") { [self] request, context in
            let recordID = try context.parameters.require("record")
            return page(
                "record", "Open record \(recordID)", user.role == "patient" ? .records : .patients, request, context,
                ["recordID": recordID, "path": PortalFormat.pathSegment(recordID), "patient": user.role == "patient"])
        }
        router.post("/records/{record}/open") { [self] request, context in
            let recordID = try context.parameters.require("record")
            let opened = try await open(recordID, context.form)
            return page("opened", "Record \(recordID)", user.role == "patient" ? .records : .patients, request, context, Self.openedValues(opened, context.form))
        }
        router.post("/records/{record}/download") { [self] _, context in
            let recordID = try context.parameters.require("record")
            let opened = try await open(recordID, context.form)
            guard let plaintext = opened.plaintext else {
                throw PortalRefusal.forbidden("the ledger denied the read: \(opened.decision.rule) (audit event \(opened.txID))")
            }
            return PortalPages.download(plaintext, filename: "\(recordID).json", contentType: "application/fhir+json")
        }
    }

    private func open(_ recordID: String, _ form: PortalForm) async throws -> OpenedRecord {
        try await records.openRecord(recordID, purpose: try Self.field("purpose", of: form), justification: form["justification"])
    }

    static func openedValues(_ opened: OpenedRecord, _ form: PortalForm) -> [String: Any] {
        var values: [String: Any] = [
            "outcome": opened.decision.outcome.rawValue, "outcomeText": opened.decision.outcome == .permit ? "Permitted" : "Denied",
            "rule": opened.decision.rule, "txID": opened.txID, "purpose": form["purpose"] ?? "TREAT",
            "breakGlass": form["purpose"] == Purpose.emergencyTreatment.rawValue && opened.decision.outcome == .permit,
        ]
        if let justification = form["justification"] { values["justification"] = justification }
        if let expires = opened.breakGlassExpiresAt { values["expires"] = PortalFormat.time(expires) }
        if let record = opened.record {
            values["path"] = PortalFormat.pathSegment(record.recordID)
            values["record"] = recordValues(record).merging(["json": PortalFormat.prettyJSON(opened.plaintext ?? Data())]) { $1 }
        }
        return values
    }

    /// A record's metadata as the tables show it.
    static func recordValues(_ record: RecordReference) -> [String: Any] {
        [
            "recordID": record.recordID, "path": PortalFormat.pathSegment(record.recordID), "resourceType": record.resourceType,
            "category": record.category, "author": record.author, "authorMSP": record.authorMSP, "version": record.version,
            "created": PortalFormat.time(record.createdAt), "erased": record.erased, "plaintextSHA256": record.plaintextSHA256,
        ]
    }
}
