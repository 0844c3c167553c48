internal import Crypto
internal import Foundation
internal import Identity

/// De-identifies one FHIR R4 resource (JSON) by HIPAA's Safe Harbor method: removes the elements
/// that carry direct identifiers or free text, reduces every date to its year, and replaces the
/// patient by a per-study pseudonym. A required element that removal emptied stays, as the
/// data-absent-reason "masked", so that a valid resource stays valid. Pure: same input, same output.
struct SafeHarbor {
    /// HMAC key of the study; the pseudonym of a patient is HMAC-SHA256(salt, patient ID).
    let studySalt: SymmetricKey

    /// Elements removed wherever they appear: identifiers, names, contact data, addresses,
    /// photos, free-text narrative, notes, conclusions and instructions (which may name anyone),
    /// attached documents, people who acted (performer, recorder, asserter…) and instants that
    /// cannot be cut to a year.
    static let removedElements: Set<String> = [
        "identifier", "name", "telecom", "address", "photo", "contact", "text", "note", "performer",
        "recorder", "asserter", "author", "requester", "encounter", "issued", "lastUpdated", "url",
        "device", "specimen", "basedOn", "partOf", "hasMember", "derivedFrom", "generalPractitioner",
        "managingOrganization", "link", "communication", "multipleBirthInteger", "multipleBirthBoolean",
        "conclusion", "presentedForm", "patientInstruction",
    ]

    /// Elements FHIR R4 requires (1..1 or 1..*) that removal can empty — a CodeableConcept of text
    /// only, a Reference to another resource, an Attachment by URL — per resource type; a choice
    /// element lists its alternatives. The patient's reference is replaced, never emptied.
    static let requiredElements: [String: [[String]]] = [
        "Observation": [["code"]],
        "DiagnosticReport": [["code"]],
        "Immunization": [["vaccineCode"]],
        "DocumentReference": [["content"]],
        "MedicationRequest": [medication],
        "MedicationStatement": [medication],
        "MedicationAdministration": [medication],
        "MedicationDispense": [medication],
    ]
    private static let medication = ["medicationCodeableConcept", "medicationReference"]

    /// The value of a masked required element: FHIR's data-absent-reason extension, "masked"
    /// (withheld for privacy); a DocumentReference's content needs it inside its attachment.
    static func masked(_ element: String) -> Any {
        let masked: [String: Any] = [
            "extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]
        ]
        return element == "content" ? [["attachment": masked]] : masked
    }

    /// The per-study pseudonym of `patientID` (hex).
    func pseudonym(_ patientID: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(patientID.utf8), using: studySalt))
    }

    /// The de-identified resource, or nil if `json` is not a FHIR resource (an object with a
    /// `resourceType`). `recordID` only seeds the resource's new `id`.
    func deidentify(_ json: Data, patientID: String, recordID: String) -> [String: Any]? {
        guard let original = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
            let type = original["resourceType"] as? String, !type.isEmpty
        else { return nil }
        let patient = pseudonym(patientID)
        let patientFields = ["subject", "patient", "beneficiary"].filter { original[$0] != nil }
        var resource = clean(original) as? [String: Any] ?? [:]
        for alternatives in Self.requiredElements[type] ?? [] where !alternatives.contains(where: { resource[$0] != nil }) {
            // Only what the source had: a resource that lacked it was invalid before, and stays as it was.
            if let present = alternatives.first(where: { original[$0] != nil }) { resource[present] = Self.masked(present) }
        }
        resource["resourceType"] = type
        resource["id"] = String(pseudonym("\(patientID)/\(recordID)").prefix(32))
        if type == "Patient" {
            resource["id"] = String(patient.prefix(64))
        } else {
            for field in patientFields {
                resource[field] = ["reference": "Patient/\(patient.prefix(64))"]
            }
        }
        var meta = resource["meta"] as? [String: Any] ?? [:]
        meta["security"] = [["system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "PSEUDED"]]
        resource["meta"] = meta
        return resource
    }

    private func clean(_ value: Any) -> Any? {
        switch value {
        case let object as [String: Any]:
            var kept: [String: Any] = [:]
            for (key, element) in object where !Self.removedElements.contains(key) && key != "display" {
                if let cleaned = clean(element) { kept[key] = cleaned }
            }
            // A reference to anyone but the patient (replaced later) would identify them.
            if kept["reference"] is String { kept.removeValue(forKey: "reference") }
            return kept.isEmpty ? nil : kept
        case let array as [Any]:
            let cleaned = array.compactMap(clean)
            return cleaned.isEmpty ? nil : cleaned
        case let text as String:
            return Self.yearOnly(text) ?? text
        default:
            return value
        }
    }

    /// "2024-03-05", "2024-03", "2024-03-05T10:00:00Z" → "2024"; anything else → nil.
    static func yearOnly(_ text: String) -> String? {
        guard text.count > 4, text.wholeMatch(of: /\d{4}-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?/) != nil else { return nil }
        return String(text.prefix(4))
    }
}
