public import Crypto
public import Foundation
internal import Identity
internal import Wire

/// De-identifies FHIR R4 resources for research by HIPAA's Safe Harbor method, on FHIR element
/// semantics: per resource type, an allow-list of the elements that may leave (structure,
/// codes, quantities, reference ranges, status); everything else — narrative, every free-text
/// string, notes, attachments' data, titles and URLs, identifiers, contact points, references to
/// anyone — is dropped. Dates leave as their year by datatype (an `instant` only where the
/// element has a `dateTime` choice to move to), ages over 89 as "90 or older", the patient as a
/// per-study pseudonym. A required element that cleaning emptied is masked (data-absent-reason),
/// so a valid R4 resource stays valid. Pure: the same input gives the same bytes.
public struct SafeHarbor: Sendable {
    /// HMAC key of the study; the pseudonym of a patient is HMAC-SHA256(salt, patient ID).
    let studySalt: SymmetricKey
    /// The year the export is made in, against which birth years show ages over 89.
    let exportYear: Int

    /// A de-identifier for one study's export made at `date`.
    public init(studySalt: SymmetricKey, exportedAt date: Date) {
        self.studySalt = studySalt
        self.exportYear = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).year ?? 1970
    }

    /// The resource types an export carries; records of any other type are withheld.
    public static var exportableTypes: [String] { ResourceProfiles.exportableTypes }

    /// The per-study pseudonym of `patientID`: 64 hex digits, a valid FHIR `id`.
    public func pseudonym(_ patientID: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Data(patientID.utf8), using: studySalt))
    }

    /// The de-identified resource as one line of compact JSON (no newline), or why the record
    /// does not leave at all. `recordID` only seeds the resource's new `id`.
    public func deidentify(_ json: Data, patientID: String, recordID: String) -> Outcome {
        guard let text = String(validating: json, as: UTF8.self),
            case .object(let source) = try? JSONParser.parse(text, maxDepth: 64)
        else { return .withheld(.notJSON) }
        guard case .string(let type) = source["resourceType"], let profile = ResourceProfiles.profile(for: type) else {
            return .withheld(.notExportable)
        }
        // R4: a resource with modifiers or implicit rules that are not understood must not be
        // processed; cleaning them away could reverse its meaning.
        if source["modifierExtension"] != nil || source["implicitRules"] != nil { return .withheld(.modifierExtension(type)) }

        let patient = pseudonym(patientID)
        let cleaner = ElementCleaner(patientReference: .object(JSONObject(members: [("reference", .string("Patient/\(patient)"))])), exportYear: exportYear)
        let id = type == "Patient" ? patient : String(pseudonym("\(patientID)/\(recordID)").prefix(32))
        var resource = JSONObject(members: [("resourceType", .string(type)), ("id", .string(id)), ("meta", Self.pseudonymisedMeta)])
        resource.members += cleaner.clean(source, as: profile).members
        var writer = JSONWriter()
        writer.writeValue(.object(resource))
        return .exported(Data(writer.text.utf8), resourceType: type)
    }

    /// What `deidentify` made of a record.
    public enum Outcome: Sendable, Equatable {
        /// The de-identified resource, compact JSON without a trailing newline.
        case exported(Data, resourceType: String)
        case withheld(WithholdingReason)
    }

    /// Why a record does not leave an export at all.
    public enum WithholdingReason: Sendable, Equatable, CustomStringConvertible {
        /// Not a JSON object (or not UTF-8).
        case notJSON
        /// No `resourceType`, or a type without an export profile.
        case notExportable
        /// A resource-level modifier extension or implicit rules, which change its meaning.
        case modifierExtension(String)

        public var description: String {
            switch self {
            case .notJSON: "not a JSON object"
            case .notExportable: "not a resource type the export carries"
            case .modifierExtension(let type): "a \(type) with modifier extensions or implicit rules"
            }
        }
    }

    /// `meta.security`: the resource is pseudonymised (v3 ObservationValue PSEUDED).
    static let pseudonymisedMeta = JSONValue.object(
        JSONObject(members: [
            (
                "security",
                .array([
                    .object(
                        JSONObject(members: [
                            ("system", .string("http://terminology.hl7.org/CodeSystem/v3-ObservationValue")),
                            ("code", .string("PSEUDED")),
                        ]))
                ])
            )
        ]))
}

extension JSONObject {
    /// The value of the first member named `name`.
    subscript(name: String) -> JSONValue? {
        members.first { $0.name == name }?.value
    }
}
