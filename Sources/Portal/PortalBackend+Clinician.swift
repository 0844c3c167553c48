internal import EHRModel
internal import Foundation
internal import Hummingbird
internal import MedLedgerKit

/// The clinician's screens: the organisation's patients, a patient's records, an upload.
extension PortalBackend {
    func addClinicianRoutes(to router: Router<PortalContext>) {
        router.get("/patients") { [self] request, context in
            let patients = try await records.patients().map { patient -> [String: Any] in
                [
                    "patientID": patient.patientID, "path": PortalFormat.pathSegment(patient.patientID), "enrollmentID": patient.enrollmentID,
                    "mspID": patient.mspID, "registeredBy": patient.registeredBy, "registered": PortalFormat.time(patient.registeredAt),
                ]
            }
            return page("patients", "Patients", .patients, request, context, ["patients": patients])
        }
        router.get("/patients/{patient}") { [self] request, context in
            let patientID = try context.parameters.require("patient")
            let listed = try await records.listRecords(of: patientID).map(Self.recordValues)
            return page(
                "patient", "Patient \(patientID)", .patients, request, context,
                ["patientID": patientID, "patientPath": PortalFormat.pathSegment(patientID), "records": listed])
        }
        router.get("/upload") { [self] request, context in
            let patients = try await records.patients().map { ["patientID": $0.patientID] }
            var values: [String: Any] = ["patients": patients]
            values["patientID"] = request.uri.queryParameters["patient"].map(String.init)
            return page("upload", "Upload a record", .upload, request, context, values)
        }
        router.post("/upload") { [self] _, context in
            let form = context.form
            guard let file = form.file("file"), !file.data.isEmpty else { throw PortalRefusal.badRequest("choose a FHIR JSON file to upload (the form field file is empty)") }
            let resourceType = try form["resourceType"] ?? Self.resourceType(of: file)
            let draft = RecordDraft(
                recordID: try Self.field("recordID", of: form), patientID: try Self.field("patientID", of: form), resourceType: resourceType,
                category: try Self.field("category", of: form), previousRecordID: form["previousRecordID"])
            let added = try await records.addRecord(draft, plaintext: file.data)
            return PortalPages.redirect(to: "/patients/\(PortalFormat.pathSegment(added.patientID))?done=uploaded")
        }
    }

    /// The `resourceType` a FHIR JSON file declares, or 400 saying the file is not a FHIR resource.
    static func resourceType(of file: PortalForm.File) throws -> String {
        guard let object = try? JSONSerialization.jsonObject(with: file.data) as? [String: Any], let type = object["resourceType"] as? String, !type.isEmpty else {
            throw PortalRefusal.badRequest("\(file.filename) is not a FHIR JSON resource (no resourceType); give the resource type in the form")
        }
        return type
    }
}
