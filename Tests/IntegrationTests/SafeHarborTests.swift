import Crypto
import Foundation
@testable import Server
import Testing

/// `SafeHarbor` alone: required elements that removal empties are masked rather than dropped,
/// and free text outside `note`/`text` (conclusions, instructions, attached documents) goes.
@Suite("Safe Harbor de-identification keeps resources valid")
struct SafeHarborTests {
    let harbor = SafeHarbor(studySalt: SymmetricKey(data: Data(repeating: 7, count: 32)))
    static var masked: [String: Any] {
        ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]]
    }

    func deidentify(_ json: String) throws -> [String: Any] {
        try #require(harbor.deidentify(Data(json.utf8), patientID: "P-9", recordID: "rec-9"))
    }

    /// True if both serialize to the same canonical JSON.
    static func same(_ value: Any?, _ expected: Any) -> Bool {
        let canonical = { (value: Any) in try? JSONSerialization.data(withJSONObject: ["v": value], options: [.sortedKeys]) }
        guard let value, let actual = canonical(value) else { return false }
        return actual == canonical(expected)
    }

    @Test func aRequiredCodeOfFreeTextOnlyIsMaskedNotDropped() throws {
        let resource = try deidentify(
            #"{"resourceType":"Observation","status":"final","code":{"text":"glucose for Jane Roe"},"subject":{"reference":"Patient/P-9"}}"#)
        #expect(Self.same(resource["code"], Self.masked))
        #expect(resource["status"] as? String == "final")
    }

    @Test func aRequiredMedicationReferenceIsMaskedUnderItsOwnName() throws {
        let resource = try deidentify(
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{"reference":"Medication/m-1","display":"Metformin"},"subject":{"reference":"Patient/P-9"}}"#
        )
        #expect(Self.same(resource["medicationReference"], Self.masked))
        #expect(resource["medicationCodeableConcept"] == nil)
    }

    @Test func aDocumentReferenceContentByURLKeepsAMaskedAttachment() throws {
        let resource = try deidentify(
            #"{"resourceType":"DocumentReference","status":"current","content":[{"attachment":{"url":"https://a.example/Binary/1"}}],"subject":{"reference":"Patient/P-9"}}"#
        )
        #expect(Self.same(resource["content"], [["attachment": Self.masked]]))
    }

    @Test func aRequiredElementThatSurvivesIsLeftAsItIs() throws {
        let resource = try deidentify(
            #"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2339-0","display":"Glucose"}],"text":"Glucose"}}"#
        )
        #expect(Self.same(resource["code"], ["coding": [["system": "http://loinc.org", "code": "2339-0"]]]))
    }

    @Test func nothingIsInventedForAnElementTheSourceLacked() throws {
        let resource = try deidentify(#"{"resourceType":"Observation","status":"final"}"#)
        #expect(resource["code"] == nil)
    }

    @Test func conclusionsInstructionsAndAttachedDocumentsAreRemoved() throws {
        let report = try deidentify(
            #"{"resourceType":"DiagnosticReport","status":"final","code":{"coding":[{"code":"4548-4"}]},"conclusion":"Jane Roe: high","presentedForm":[{"contentType":"text/plain","data":"SmFuZSBSb2U=","title":"Jane Roe"}]}"#
        )
        #expect(report["conclusion"] == nil && report["presentedForm"] == nil)
        let prescription = try deidentify(
            #"{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationCodeableConcept":{"coding":[{"code":"860975"}]},"dosageInstruction":[{"sequence":1,"patientInstruction":"Jane: with breakfast"}]}"#
        )
        #expect(Self.same(prescription["dosageInstruction"], [["sequence": 1]]))
    }

    @Test func theSameInputGivesTheSameOutput() throws {
        let json = #"{"resourceType":"Observation","status":"final","code":{"text":"x"},"effectiveDateTime":"2024-02-03"}"#
        let first = try JSONSerialization.data(withJSONObject: try deidentify(json), options: [.sortedKeys])
        let second = try JSONSerialization.data(withJSONObject: try deidentify(json), options: [.sortedKeys])
        #expect(first == second)
    }
}
