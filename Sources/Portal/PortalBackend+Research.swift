internal import EHRModel
internal import Foundation
internal import Hummingbird
internal import MedLedgerKit
internal import Synchronization

/// The researcher's screen: the organisation's studies with the patients' answers (counts),
/// access requests, exports.
extension PortalBackend {
    func addResearchRoutes(to router: Router<PortalContext>) {
        router.get("/studies") { [self] request, context in
            let exports = memory.lastExports.withLock { $0 }
            var studies: [[String: Any]] = []
            for study in try await records.accessRequests() where study.mspID == user.mspID {
                let tally = try await records.tally(ofStudy: study.studyID)
                studies.append([
                    "studyID": study.studyID, "path": PortalFormat.pathSegment(study.studyID), "description": study.description,
                    "categories": study.categories.isEmpty ? "all" : study.categories.joined(separator: ", "), "requester": study.requester,
                    "requested": PortalFormat.time(study.requestedAt), "lastExport": exports[study.studyID] ?? "none yet",
                    "answers": "\(tally.approved) approved, \(tally.declined) declined, \(tally.withdrawn) withdrawn",
                ])
            }
            return page("studies", "Studies", .studies, request, context, ["studies": studies])
        }
        router.post("/studies") { [self] _, context in
            let form = context.form
            try await records.requestAccess(
                studyID: try Self.field("studyID", of: form), categories: Self.list(form["categories"]), description: try Self.field("description", of: form))
            return PortalPages.redirect(to: "/studies?done=requested")
        }
        router.post("/studies/{study}/export") { [self] _, context in
            let studyID = try context.parameters.require("study")
            let download = try await records.exportStudy(studyID)
            let summary = "\(download.patients) patients, \(download.resources) resources, \(download.withheld) withheld, at \(PortalFormat.time(Date()))"
            memory.lastExports.withLock { $0[studyID] = summary }
            return PortalPages.download(download.ndjson, filename: "\(studyID).ndjson", contentType: "application/fhir+ndjson")
        }
    }
}
