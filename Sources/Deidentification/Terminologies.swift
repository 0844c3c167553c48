/// The code systems whose codings may leave an export, and the syntax each one's codes have. A
/// coding of any other system (a hospital's local codes, an identifier namespace such as
/// `http://hl7.org/fhir/sid/us-ssn`) or with a code of the wrong shape does not leave: local codes
/// can carry anything, and a code slot is a place where identifying text can hide.
enum Terminologies {
    static let ucum = "http://unitsofmeasure.org"

    /// True if `code` may leave as a code of `system`.
    static func accepts(system: String, code: String) -> Bool {
        guard !code.isEmpty, code.utf8.count <= 64 else { return false }
        if let syntax = published[system] { return code.wholeMatch(of: syntax) != nil }
        if isHL7CodeSystem(system) { return code.wholeMatch(of: /[A-Za-z0-9_][A-Za-z0-9_.\-]*/) != nil }
        return false
    }

    /// True if `code` is a UCUM unit code (printable ASCII without spaces, as UCUM's grammar has).
    static func isUCUMUnit(_ code: String) -> Bool {
        code.utf8.count <= 32 && code.wholeMatch(of: /[!-~]+/) != nil
    }

    /// Code systems defined by FHIR itself or by HL7 terminology (`http://hl7.org/fhir/name`,
    /// `http://terminology.hl7.org/CodeSystem/name`): closed value sets of a few codes each. The
    /// `sid/` namespace, where identifier systems live, is not among them.
    private static func isHL7CodeSystem(_ system: String) -> Bool {
        system.wholeMatch(of: /http:\/\/hl7\.org\/fhir\/[a-z][a-z0-9\-]*/) != nil
            || system.wholeMatch(of: /http:\/\/terminology\.hl7\.org\/CodeSystem\/[A-Za-z0-9][A-Za-z0-9\-.]*/) != nil
    }

    private nonisolated(unsafe) static let published: [String: Regex<Substring>] = [
        "http://loinc.org": /(?:L[AP])?[0-9]{1,8}-[0-9]/,
        "http://snomed.info/sct": /[0-9]{6,18}/,
        "http://www.nlm.nih.gov/research/umls/rxnorm": /[0-9]{1,10}/,
        "http://hl7.org/fhir/sid/cvx": /[0-9]{1,3}/,
        "http://hl7.org/fhir/sid/icd-10": /[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?/,
        "http://hl7.org/fhir/sid/icd-10-cm": /[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?/,
        "http://www.cms.gov/Medicare/Coding/ICD10": /[0-9A-HJ-NP-Z]{7}/,
        "http://hl7.org/fhir/sid/icd-9-cm": /(?:[0-9]{3}|V[0-9]{2}|E[0-9]{3})(?:\.[0-9]{1,2})?/,
        "http://hl7.org/fhir/sid/ndc": /[0-9]{4,5}-[0-9]{3,4}(?:-[0-9]{1,2})?|[0-9]{10,11}/,
        "http://www.ama-assn.org/go/cpt": /[0-9]{4}[0-9A-Z]/,
        "http://www.whocc.no/atc": /[A-Z](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?/,
        "http://dicom.nema.org/resources/ontology/DCM": /[A-Z0-9]{1,16}/,
        "urn:ietf:bcp:47": /[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*/,
        "urn:iso:std:iso:3166": /[A-Z]{2,3}|[0-9]{3}/,
        "http://unitsofmeasure.org": /[!-~]{1,32}/,
    ]
}
