import EHRModel
import Foundation
import Identity
import MedLedgerKit
import MedLedgerTesting
import Server
import Testing

/// Realistic FHIR R4 resources as a hospital system would send them, full of what the research
/// export must strip: identifiers, names, phone numbers, addresses, practitioners, encounters,
/// free text and exact dates.
enum FHIRSamples {
    static func observation(patient: String) -> Data {
        Data(
            #"""
            {
              "resourceType":"Observation",
              "id":"obs-1",
              "meta":{"lastUpdated":"2025-03-14T10:00:00Z"},
              "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Glucose 5.4 for Jane Doe</div>"},
              "identifier":[{"use":"official","system":"urn:oid:1.2.36.146.595.217.0.1","value":"MRN-6789"}],
              "status":"final",
              "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory","display":"Laboratory"}]}],
              "code":{"coding":[{"system":"http://loinc.org","code":"15074-8","display":"Glucose [Moles/volume] in Blood"}],"text":"Blood glucose"},
              "subject":{"reference":"Patient/\#(patient)","display":"Jane Doe"},
              "encounter":{"reference":"Encounter/enc-77"},
              "effectiveDateTime":"2025-03-14T09:30:00+01:00",
              "issued":"2025-03-14T10:00:00.000Z",
              "performer":[{"reference":"Practitioner/dr-alice","display":"Dr Alice Smith"}],
              "valueQuantity":{"value":6.3,"unit":"mmol/l","system":"http://unitsofmeasure.org","code":"mmol/L"},
              "interpretation":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation","code":"H","display":"High"}]}],
              "note":[{"authorString":"Dr Alice Smith","time":"2025-03-14T10:05:00Z","text":"Called Jane Doe at 555-0100"}],
              "referenceRange":[{"low":{"value":3.1,"unit":"mmol/l","system":"http://unitsofmeasure.org","code":"mmol/L"},"high":{"value":6.2,"unit":"mmol/l","system":"http://unitsofmeasure.org","code":"mmol/L"},"text":"3.1 to 6.2"}]
            }
            """#.utf8)
    }

    static func condition(patient: String) -> Data {
        Data(
            #"""
            {
              "resourceType":"Condition",
              "id":"cond-1",
              "identifier":[{"system":"urn:hospital-a:problems","value":"PROB-4411"}],
              "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
              "verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},
              "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-category","code":"problem-list-item","display":"Problem List Item"}]}],
              "severity":{"coding":[{"system":"http://snomed.info/sct","code":"6736007","display":"Moderate"}]},
              "code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}],"text":"Type 2 diabetes"},
              "subject":{"reference":"Patient/\#(patient)","display":"Jane Doe"},
              "encounter":{"reference":"Encounter/enc-77"},
              "onsetDateTime":"2019-06-01",
              "recordedDate":"2019-06-03T11:00:00Z",
              "recorder":{"reference":"Practitioner/dr-alice","display":"Dr Alice Smith"},
              "asserter":{"reference":"Practitioner/dr-alice"},
              "note":[{"text":"Jane reports family history; lives at 12 Main Street, Springfield"}]
            }
            """#.utf8)
    }

    static func medicationRequest(patient: String) -> Data {
        Data(
            #"""
            {
              "resourceType":"MedicationRequest",
              "id":"medrx-1",
              "identifier":[{"system":"urn:hospital-a:orders","value":"RX-20250314-0042"}],
              "status":"active",
              "intent":"order",
              "medicationReference":{"reference":"Medication/metformin-500","display":"Metformin 500 mg tablet"},
              "subject":{"reference":"Patient/\#(patient)","display":"Jane Doe"},
              "encounter":{"reference":"Encounter/enc-77"},
              "authoredOn":"2025-03-14",
              "requester":{"reference":"Practitioner/dr-alice","display":"Dr Alice Smith"},
              "reasonCode":[{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes mellitus type 2"}]}],
              "note":[{"text":"Jane prefers the pharmacy on Main Street"}],
              "dosageInstruction":[{"sequence":1,"text":"500 mg twice daily with meals","patientInstruction":"Jane: take with breakfast and dinner","timing":{"repeat":{"boundsPeriod":{"start":"2025-03-14"},"frequency":2,"period":1,"periodUnit":"d"}},"route":{"coding":[{"system":"http://snomed.info/sct","code":"26643006","display":"Oral route"}]},"doseAndRate":[{"doseQuantity":{"value":500,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}],
              "dispenseRequest":{"validityPeriod":{"start":"2025-03-14","end":"2025-09-14"},"numberOfRepeatsAllowed":5,"quantity":{"value":60,"unit":"tablet","system":"http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm","code":"TAB"}}
            }
            """#.utf8)
    }

    static func diagnosticReport(patient: String) -> Data {
        Data(
            #"""
            {
              "resourceType":"DiagnosticReport",
              "id":"dr-1",
              "identifier":[{"system":"urn:hospital-a:lab-reports","value":"LAB-2025-000981"}],
              "basedOn":[{"reference":"ServiceRequest/sr-5"}],
              "status":"final",
              "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0074","code":"LAB"}]}],
              "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c/Hemoglobin.total in Blood"}],"text":"HbA1c"},
              "subject":{"reference":"Patient/\#(patient)","display":"Jane Doe"},
              "effectivePeriod":{"start":"2025-03-14T08:00:00Z","end":"2025-03-14T08:15:00Z"},
              "issued":"2025-03-14T12:00:00Z",
              "performer":[{"reference":"Organization/hospital-a-lab","display":"Hospital A Laboratory"}],
              "resultsInterpreter":[{"reference":"Practitioner/dr-alice","display":"Dr Alice Smith"}],
              "result":[{"reference":"Observation/obs-1"}],
              "conclusion":"HbA1c 7.9% for Jane Doe (MRN-6789): poorly controlled",
              "conclusionCode":[{"coding":[{"system":"http://snomed.info/sct","code":"165679005","display":"Haemoglobin A1c above reference range"}]}],
              "presentedForm":[{"contentType":"text/plain","data":"SmFuZSBEb2UgLSBIYkExYyA3Ljkl","title":"Report for Jane Doe"}]
            }
            """#.utf8)
    }
}

/// The research export, end to end over mTLS: resources uploaded by a clinician come out of an
/// approved study's export as FHIR R4 that `fhir.resources` (the R4 release, see
/// Python/validate_fhir.py) accepts, with dates cut to years and no identifier left.
@Suite("Research export validates as FHIR R4", .timeLimit(.minutes(5)))
struct ResearchExportFHIRTests {
    static let validator = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/validate_fhir.py").path

    /// Strings of the uploaded resources that identify the patient, the people who treated them,
    /// or the hospital's own records; none may survive de-identification.
    static let identifying = [
        "P-1", "P-2", "MRN-6789", "PROB-4411", "RX-20250314", "LAB-2025", "Jane", "Doe", "555-0100", "Main Street",
        "Springfield", "Alice", "dr-alice", "obs-1", "cond-1", "medrx-1", "dr-1", "enc-77", "sr-5", "metformin-500",
        "hospital-a", "Practitioner/", "Encounter/", "Organization/", "Medication/", "ServiceRequest/", "Observation/",
        "SmFuZSBEb2Ug", "breakfast", "poorly controlled", "family history", "<div",
    ]

    @Test func approvedStudyExportValidatesAsR4() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let download = try await withDevNetwork(in: directory.url.appendingPathComponent("dev")) { dev in
            let certificate = { (name: String) in Data(try dev.network.identity(name).loadCertificate().derBytes) }
            try await dev.records(as: "dr-alice") { alice in
                try await alice.registerPatient("P-1", certificateDER: try certificate("patient-1"))
                try await alice.registerPatient("P-2", certificateDER: try certificate("patient-2"))
                let uploads: [(String, String, String, Data)] = [
                    ("obs", "Observation", "lab", FHIRSamples.observation(patient: "P-1")),
                    ("cond", "Condition", "problem", FHIRSamples.condition(patient: "P-1")),
                    ("rx", "MedicationRequest", "prescription", FHIRSamples.medicationRequest(patient: "P-1")),
                    ("report", "DiagnosticReport", "lab", FHIRSamples.diagnosticReport(patient: "P-1")),
                ]
                for (id, type, category, resource) in uploads {
                    _ = try await alice.addRecord(.init(recordID: "p1-\(id)", patientID: "P-1", resourceType: type, category: category), plaintext: resource)
                }
                // Not a FHIR resource: withheld whole, and counted as such.
                _ = try await alice.addRecord(
                    .init(recordID: "p1-scan", patientID: "P-1", resourceType: "Binary", category: "lab"), plaintext: Data("Jane Doe, MRN-6789".utf8))
                // A patient who declines: nothing of theirs may be exported.
                _ = try await alice.addRecord(
                    .init(recordID: "p2-obs", patientID: "P-2", resourceType: "Observation", category: "lab"),
                    plaintext: FHIRSamples.observation(patient: "P-2"))
            }
            _ = try await dev.records(as: "researcher") {
                try await $0.requestAccess(studyID: "DM2-FHIR", categories: ["lab", "problem", "prescription"], description: "type 2 diabetes")
            }
            _ = try await dev.records(as: "patient-1") { try await $0.respond(toStudy: "DM2-FHIR", patientID: "P-1", approve: true) }
            _ = try await dev.records(as: "patient-2") { try await $0.respond(toStudy: "DM2-FHIR", patientID: "P-2", approve: false) }
            return try await dev.records(as: "researcher") { try await $0.exportStudy("DM2-FHIR") }
        }
        #expect(download.patients == 1 && download.resources == 4 && download.withheld == 1)
        let text = String(decoding: download.ndjson, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)

        // Every line validates as FHIR R4.
        let ndjson = directory.url.appendingPathComponent("export.ndjson")
        try download.ndjson.write(to: ndjson)
        let run = try await runProcess(["sh", "-c", #"exec python3 "$1" < "$2""#, "sh", Self.validator, ndjson.path], timeout: .seconds(120))
        try #require(run.status != 2, "fhir.resources for FHIR R4 is not installed; run .ci/setup\n\(run.summary)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "no JSON report\n\(run.summary)")
        #expect(report["fhirVersion"] as? String == "4.0.1")
        #expect(report["lines"] as? Int == 4 && report["valid"] as? Int == 4, "\(run.standardOutput)")
        for result in report["results"] as? [[String: Any]] ?? [] where result["valid"] as? Bool != true {
            Issue.record("line \(result["line"] ?? "?") (\(result["resourceType"] ?? "?")) is not valid FHIR R4: \(result["errors"] ?? "")")
        }

        // Dates are years; no identifier survives; required elements are still there.
        for forbidden in Self.identifying where text.contains(forbidden) {
            Issue.record("the export leaks \(forbidden)")
        }
        var byType: [String: [String: Any]] = [:]
        for line in lines {
            let resource = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            byType[resource["resourceType"] as? String ?? "?"] = resource
            for (path, value) in Self.strings(in: resource) {
                if value.wholeMatch(of: /\d{4}-\d{2}.*/) != nil { Issue.record("\(path) keeps a date finer than a year: \(value)") }
            }
            #expect(Self.keys(in: resource).intersection(["identifier", "note", "performer", "display", "text", "conclusion"]).isEmpty)
        }
        #expect(Set(byType.keys) == ["Observation", "Condition", "MedicationRequest", "DiagnosticReport"])
        let observation = byType["Observation"] ?? [:]
        #expect(observation["status"] as? String == "final" && observation["effectiveDateTime"] as? String == "2025")
        #expect(Self.strings(in: observation["code"] ?? [:]).map(\.value).contains("15074-8"))
        let condition = byType["Condition"] ?? [:]
        #expect(condition["onsetDateTime"] as? String == "2019" && condition["recordedDate"] as? String == "2019")
        let prescription = byType["MedicationRequest"] ?? [:]
        #expect(prescription["authoredOn"] as? String == "2025" && prescription["intent"] as? String == "order")
        #expect(Self.strings(in: prescription["medicationCodeableConcept"] ?? [:]).map(\.value).contains("masked"))
        #expect(prescription["medicationReference"] == nil)
        let diagnostic = byType["DiagnosticReport"] ?? [:]
        #expect(Self.strings(in: diagnostic["code"] ?? [:]).map(\.value).contains("4548-4"))
        let pseudonyms = Set(byType.values.compactMap { ($0["subject"] as? [String: Any])?["reference"] as? String })
        #expect(pseudonyms.count == 1 && pseudonyms.first?.hasPrefix("Patient/") == true, "one pseudonym per patient: \(pseudonyms)")
    }

    /// Every string value under `value`, with its path.
    static func strings(in value: Any, path: String = "$") -> [(path: String, value: String)] {
        switch value {
        case let object as [String: Any]: object.flatMap { strings(in: $1, path: "\(path).\($0)") }
        case let array as [Any]: array.enumerated().flatMap { strings(in: $1, path: "\(path)[\($0)]") }
        case let text as String: [(path, text)]
        default: []
        }
    }

    /// Every key under `value`.
    static func keys(in value: Any) -> Set<String> {
        switch value {
        case let object as [String: Any]: object.reduce(into: Set(object.keys)) { $0.formUnion(keys(in: $1.value)) }
        case let array as [Any]: array.reduce(into: []) { $0.formUnion(keys(in: $1)) }
        default: []
        }
    }
}
