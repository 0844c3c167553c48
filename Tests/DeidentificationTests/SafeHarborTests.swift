import Crypto
import Deidentification
import Foundation
import Testing

/// `SafeHarbor` alone, element by element: what leaves, what is generalised, what is masked.
@Suite("Safe Harbor keeps only allowed FHIR elements")
struct SafeHarborTests {
    static let harbor = SafeHarbor(studySalt: SymmetricKey(data: Data(repeating: 7, count: 32)), exportedAt: Date(timeIntervalSince1970: 1_780_000_000))
    static var maskedExtension: [String: Any] {
        ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]]
    }

    /// The exported resource as text and as parsed JSON.
    static func export(_ json: String) throws -> (text: String, resource: [String: Any]) {
        guard case .exported(let line, _) = harbor.deidentify(Data(json.utf8), patientID: "P-9", recordID: "rec-9") else {
            throw ExportFailure.withheld(json)
        }
        let text = String(decoding: line, as: UTF8.self)
        return (text, try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any]))
    }

    enum ExportFailure: Error { case withheld(String) }

    /// True if both serialize to the same canonical JSON.
    static func same(_ value: Any?, _ expected: Any) -> Bool {
        let canonical = { (value: Any) in try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys]) }
        guard let value, let actual = canonical(value) else { return false }
        return actual == canonical(expected)
    }

    @Test func freeTextLeavesNowhere() throws {
        let (text, observation) = try Self.export(
            #"""
            {"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate of Jane Roe"}],"text":"Jane Roe pulse"},
             "valueString":"Jane Roe, MRN-4711","note":[{"text":"call Jane at 555-0100"}],"text":{"status":"generated","div":"<div>Jane Roe</div>"},
             "identifier":[{"system":"urn:mrn","value":"MRN-4711"}],"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueString":"Jane Roe"}]}
            """#)
        for secret in ["Jane", "Roe", "MRN-4711", "555-0100", "urn:mrn", "div"] { #expect(!text.contains(secret), "\(secret) left") }
        #expect(Self.same(observation["code"], ["coding": [["system": "http://loinc.org", "code": "8867-4"]]]))
        // The component's only value was free text; its code stays.
        #expect(Self.same(observation["component"], [["code": ["coding": [["system": "http://loinc.org", "code": "8480-6"]]]]]))
    }

    @Test func attachmentsLoseDataTitleURLAndHash() throws {
        let (text, document) = try Self.export(
            #"""
            {"resourceType":"DocumentReference","status":"current","description":"Discharge letter of Jane Roe","date":"2025-03-14T10:00:00Z",
             "content":[{"attachment":{"contentType":"text/plain","data":"SmFuZSBSb2U=","title":"Jane Roe letter","url":"https://a.example/Binary/jane","hash":"2jmj7l5rSw0yVb/vlWAYkK/YBwk=","creation":"2025-03-14T09:00:00Z"}}]}
            """#)
        for secret in ["Jane", "SmFuZSBSb2U=", "a.example", "2jmj7l5rSw0yVb", "2025-03-14"] { #expect(!text.contains(secret), "\(secret) left") }
        #expect(Self.same(document["content"], [["attachment": ["contentType": "text/plain", "creation": "2025"]]]))
        // DocumentReference.date is an instant with no dateTime to move to: it goes.
        #expect(document["date"] == nil)
    }

    @Test func datesLeaveAsYearsByDatatype() throws {
        let (_, observation) = try Self.export(
            #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"effectiveInstant":"2025-03-14T09:30:00.123+01:00","issued":"2025-03-14T10:00:00Z","valuePeriod":{"start":"2024-02-03","end":"2024-02-05T10:00:00Z"}}"#
        )
        #expect(observation["effectiveDateTime"] as? String == "2025")
        #expect(observation["effectiveInstant"] == nil && observation["issued"] == nil)
        #expect(Self.same(observation["valuePeriod"], ["start": "2024", "end": "2024"]))
        // A date-shaped string that is not a valid dateTime does not leave at all.
        let (_, condition) = try Self.export(
            #"{"resourceType":"Condition","subject":{"reference":"Patient/P-9"},"onsetDateTime":"2019-13-45","recordedDate":"March 2019","onsetString":"2019-04-01"}"#)
        #expect(condition["onsetDateTime"] == nil && condition["recordedDate"] == nil && condition["onsetString"] == nil)
    }

    @Test func requiredElementsThatCleaningEmptiesAreMasked() throws {
        let (_, observation) = try Self.export(
            #"{"resourceType":"Observation","status":"final","code":{"text":"glucose for Jane Roe"},"subject":{"reference":"Patient/P-9"}}"#)
        #expect(Self.same(observation["code"], Self.maskedExtension))
        let (_, prescription) = try Self.export(
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"Medication/m-1","display":"Metformin"},"subject":{"reference":"Patient/P-9"}}"#
        )
        #expect(Self.same(prescription["medicationCodeableConcept"], Self.maskedExtension) && prescription["medicationReference"] == nil)
        let (_, document) = try Self.export(
            #"{"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"url":"https://a.example/Binary/1"}}]}"#)
        #expect(Self.same(document["content"], [["attachment": Self.maskedExtension]]))
        // A required primitive choice whose only variant was free text is masked, with a
        // placeholder value that validators of a required choice demand.
        let (text, immunization) = try Self.export(
            #"{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"patient":{"reference":"Patient/P-9"},"occurrenceString":"at Jane's 40th birthday","protocolApplied":[{"doseNumberString":"first of Jane's"},{"doseNumberString":"2"}]}"#
        )
        #expect(Self.same(immunization["_occurrenceString"], Self.maskedExtension) && immunization["occurrenceString"] as? String == "masked")
        #expect(Self.same(immunization["protocolApplied"], [["doseNumberString": "masked", "_doseNumberString": Self.maskedExtension], ["doseNumberPositiveInt": 2]]))
        #expect(!text.contains("Jane"))
        // Free text that is nothing but a date leaves as the dateTime variant's year.
        let (_, dated) = try Self.export(
            #"{"resourceType":"Immunization","status":"completed","vaccineCode":{"coding":[{"system":"http://hl7.org/fhir/sid/cvx","code":"140"}]},"patient":{"reference":"Patient/P-9"},"occurrenceString":"2024-10-01"}"#
        )
        #expect(dated["occurrenceDateTime"] as? String == "2024" && dated["occurrenceString"] == nil)
        // Nothing is invented for what the source lacked.
        let (_, bare) = try Self.export(#"{"resourceType":"Observation","status":"final"}"#)
        #expect(bare["code"] == nil)
    }

    @Test func thePatientIsThePseudonymAndNobodyElseIsReferenced() throws {
        let (text, condition) = try Self.export(
            #"{"resourceType":"Condition","subject":{"reference":"Patient/P-9","display":"Jane Roe"},"asserter":{"reference":"Practitioner/dr-x"},"evidence":[{"detail":[{"reference":"Observation/o-1"}]}],"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]}}"#
        )
        let pseudonym = Self.harbor.pseudonym("P-9")
        #expect(Self.same(condition["subject"], ["reference": "Patient/\(pseudonym)"]))
        #expect(condition["asserter"] == nil && condition["evidence"] == nil && !text.contains("P-9") && !text.contains("dr-x"))
        #expect(pseudonym.count == 64 && condition["id"] as? String != "P-9")
    }

    @Test func onlyPublishedTerminologiesLeave() throws {
        let (text, condition) = try Self.export(
            #"""
            {"resourceType":"Condition","subject":{"reference":"Patient/P-9"},"code":{"coding":[
              {"system":"http://snomed.info/sct","code":"44054006","version":"Jane"},{"system":"urn:hospital-a:problems","code":"JANE-ROE"},
              {"system":"http://hl7.org/fhir/sid/us-ssn","code":"123456789"},{"system":"http://loinc.org","code":"Jane Roe"},
              {"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"E11.9"}]},
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item"}]}]}
            """#)
        #expect(Self.same(condition["code"], ["coding": [["system": "http://snomed.info/sct", "code": "44054006"], ["system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"]]]))
        #expect(condition["category"] != nil)
        for secret in ["Jane", "JANE", "123456789", "hospital-a"] { #expect(!text.contains(secret), "\(secret) left") }
    }

    @Test func agesOverEightyNineAreOneCategory() throws {
        // Exported in 2026: born 1930 is 95 or 96.
        let (text, patient) = try Self.export(
            #"{"resourceType":"Patient","gender":"female","birthDate":"1930-05-17","name":[{"family":"Roe"}],"telecom":[{"system":"phone","value":"555-0100"}],"address":[{"line":["1 Main St"],"city":"Springfield","state":"MA","postalCode":"02139-1234","country":"US"}]}"#
        )
        #expect(patient["birthDate"] == nil && Self.same(patient["_birthDate"], Self.maskedExtension))
        #expect(Self.same(patient["address"], [["state": "MA", "postalCode": "021", "country": "US"]]))
        for secret in ["Roe", "555-0100", "Main", "Springfield", "1930"] { #expect(!text.contains(secret), "\(secret) left") }
        let (_, young) = try Self.export(#"{"resourceType":"Patient","birthDate":"1990-05-17","address":[{"postalCode":"03601"}]}"#)
        #expect(young["birthDate"] as? String == "1990")
        #expect(Self.same(young["address"], [["postalCode": "000"]]), "a sparsely populated 3-digit ZIP becomes 000")

        let (_, condition) = try Self.export(
            #"{"resourceType":"Condition","subject":{"reference":"Patient/P-9"},"onsetAge":{"value":93,"unit":"years","system":"http://unitsofmeasure.org","code":"a"},"abatementAge":{"value":45.5,"unit":"yr","system":"http://unitsofmeasure.org","code":"a"}}"#
        )
        #expect(Self.same(condition["onsetAge"], ["value": 90, "comparator": ">=", "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"]))
        #expect(Self.same(condition["abatementAge"], ["value": 45.5, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"]))
    }

    @Test func agesOverEightyNineLeaveNoNumberWhateverTheUnit() throws {
        // A spelling of years without UCUM is still years.
        let (_, spelled) = try Self.export(
            #"{"resourceType":"Condition","subject":{"reference":"Patient/P-9"},"onsetAge":{"value":94,"unit":"years"}}"#)
        #expect(Self.same(spelled["onsetAge"], ["value": 90, "comparator": ">=", "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"]))
        // An Age whose unit says nothing of time does not leave above 89.
        let (_, unknown) = try Self.export(
            #"{"resourceType":"Condition","subject":{"reference":"Patient/P-9"},"onsetAge":{"value":94,"unit":"Jane's"}}"#)
        #expect(unknown["onsetAge"] == nil)
        // LOINC age observations: a bare number over 89 does not leave; one under 90 does.
        let age = #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"30525-0"}]},"#
        let (_, integer) = try Self.export(age + #""valueInteger":96}"#)
        #expect(integer["valueInteger"] == nil)
        let (_, bare) = try Self.export(age + #""valueQuantity":{"value":91}}"#)
        #expect(bare["valueQuantity"] == nil)
        let (_, young) = try Self.export(age + #""valueInteger":41}"#)
        #expect(young["valueInteger"] as? Int == 41)
        // A decimal JSON allows but no double holds does not leave.
        let (_, huge) = try Self.export(
            #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0"}]},"valueQuantity":{"value":1e400,"system":"http://unitsofmeasure.org","code":"mg"}}"#)
        #expect(Self.same(huge["valueQuantity"], ["unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"]))
    }

    @Test func numbersAndCodesLeaveExactly() throws {
        let (text, observation) = try Self.export(
            #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"15074-8"}]},"valueQuantity":{"value":6.30,"unit":"mmol/l of Jane","system":"http://unitsofmeasure.org","code":"mmol/L"},"interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H"}]}]}"#
        )
        #expect(text.contains(#""value":6.30"#), "the decimal's literal is kept: \(text)")
        #expect(Self.same(observation["valueQuantity"], ["value": 6.30, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"]))
    }

    @Test func recordsThatCannotLeaveAreWithheldWhole() {
        let cases: [(String, SafeHarbor.WithholdingReason)] = [
            ("Session notes of Jane Roe.", .notJSON),
            (#"{"resourceType":"Encounter","status":"finished"}"#, .notExportable),
            (#"{"status":"final"}"#, .notExportable),
            (#"{"resourceType":"Observation","status":"final","modifierExtension":[{"url":"urn:x","valueBoolean":true}]}"#, .modifierExtension("Observation")),
            (#"{"resourceType":"Observation","status":"final","implicitRules":"urn:x"}"#, .modifierExtension("Observation")),
        ]
        for (json, reason) in cases {
            #expect(Self.harbor.deidentify(Data(json.utf8), patientID: "P-9", recordID: "r") == .withheld(reason), "\(json)")
        }
        #expect(Self.harbor.deidentify(Data([0xFF, 0xFE]), patientID: "P-9", recordID: "r") == .withheld(.notJSON))
    }

    @Test func aBackboneElementWithAModifierIsDropped() throws {
        let (_, allergy) = try Self.export(
            #"{"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/P-9"},"reaction":[{"modifierExtension":[{"url":"urn:x","valueBoolean":true}],"manifestation":[{"coding":[{"system":"http://snomed.info/sct","code":"247472004"}]}]},{"manifestation":[{"text":"hives on Jane"}],"severity":"mild"}]}"#
        )
        #expect(Self.same(allergy["reaction"], [["manifestation": [Self.maskedExtension], "severity": "mild"]]))
    }

    @Test func theSameInputGivesTheSameBytes() {
        let json = Data(#"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2024-02-03"}"#.utf8)
        #expect(Self.harbor.deidentify(json, patientID: "P-9", recordID: "r") == Self.harbor.deidentify(json, patientID: "P-9", recordID: "r"))
    }
}
