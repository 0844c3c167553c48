import Foundation
import Identity
import MedLedgerKit
import MedLedgerTesting
import Server
import Testing
import Wire
import X509

/// The research export judged on data we did not write: synthetic R4 patients from a third-party
/// generator (clinosim, see Python/make_export_corpus.py) with names, MRNs, SSNs, phone numbers,
/// addresses, emails and exact dates seeded into every free-text and identifier element, uploaded
/// as records, approved, exported over mTLS. No seeded value may appear in any byte of the
/// export, and every line must validate as FHIR R4.
@Suite("Research export of a seeded third-party corpus leaks nothing", .timeLimit(.minutes(15)))
struct ResearchExportCorpusTests {
    static let python = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python")
    /// The generator's seed: fixed, so that CI judges the same corpus every run;
    /// MEDLEDGER_CORPUS_SEED draws another one.
    static let seed = ProcessInfo.processInfo.environment["MEDLEDGER_CORPUS_SEED"] ?? "20261206"

    /// One corpus line: the patient it belongs to and the resource's JSON.
    struct CorpusResource {
        var patient: String
        var resourceType: String
        var json: Data
    }

    @Test func noSeededValueLeavesAndEveryLineIsR4() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let corpusDirectory = directory.url.appendingPathComponent("corpus")
        let made = try await runProcess(
            ["python3", Self.python.appendingPathComponent("make_export_corpus.py").path, "--patients", "3", "--seed", Self.seed,
             "--out", corpusDirectory.path], timeout: .seconds(600))
        try #require(made.status != 2, "clinosim or fhir.resources is not installed; run .ci/setup\n\(made.summary)")
        try #require(made.status == 0, "\(made.summary)")
        let (resources, secrets) = try Self.loadCorpus(corpusDirectory)
        let patients = resources.map(\.patient).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        try #require(patients.count == 3)

        let download = try await withDevNetwork(in: directory.url.appendingPathComponent("dev")) { dev in
            // patient-1 and -2 are HospitalA's (dr-alice), patient-3 HospitalB's (dr-bob).
            let cast = [("patient-1", "dr-alice"), ("patient-2", "dr-alice"), ("patient-3", "dr-bob")]
            for (patient, (identity, clinician)) in zip(patients, cast) {
                let certificate = Data(try dev.network.identity(identity).loadCertificate().derBytes)
                try await dev.records(as: clinician) { records in
                    try await records.registerPatient(patient, certificateDER: certificate)
                    for (index, resource) in resources.enumerated() where resource.patient == patient {
                        _ = try await records.addRecord(
                            .init(recordID: "corpus-\(index)", patientID: patient, resourceType: resource.resourceType, category: "lab"),
                            plaintext: resource.json)
                    }
                }
            }
            try await dev.records(as: "researcher") {
                _ = try await $0.requestAccess(studyID: "CORPUS", categories: ["lab"], description: "de-identification corpus")
            }
            for (patient, (identity, _)) in zip(patients, cast) {
                try await dev.records(as: identity) { _ = try await $0.respond(toStudy: "CORPUS", patientID: patient, approve: true) }
            }
            return try await dev.records(as: "researcher") { try await $0.exportStudy("CORPUS") }
        }
        #expect(download.patients == 3 && download.resources == resources.count && download.withheld == 0)

        let text = String(decoding: download.ndjson, as: UTF8.self)
        for (patient, values) in secrets {
            for value in values where Self.leaks(value, in: text) {
                Issue.record("the export leaks \(value.debugDescription), seeded for patient \(patient)")
            }
        }
        let lines = text.split(separator: "\n")
        let exportedTypes = Set(lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["resourceType"] as? String
        })
        #expect(exportedTypes == Set(resources.map(\.resourceType)), "every type of the corpus is exported")

        let ndjson = directory.url.appendingPathComponent("export.ndjson")
        try download.ndjson.write(to: ndjson)
        let validator = Self.python.appendingPathComponent("validate_fhir.py").path
        let run = try await runProcess(["sh", "-c", #"exec python3 "$1" < "$2""#, "sh", validator, ndjson.path], timeout: .seconds(300))
        try #require(run.status != 2, "fhir.resources for FHIR R4 is not installed; run .ci/setup\n\(run.summary)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "\(run.summary)")
        #expect(report["lines"] as? Int == resources.count && report["valid"] as? Int == resources.count)
        for result in report["results"] as? [[String: Any]] ?? [] where result["valid"] as? Bool != true {
            Issue.record("line \(result["line"] ?? "?") (\(result["resourceType"] ?? "?")) is not valid FHIR R4: \(result["errors"] ?? "")")
        }
    }

    /// True if `value` occurs in `text`. An all-digit value (a ZIP code) counts only where it is
    /// not part of a longer run of hex digits: the export's pseudonyms are hex, and five digits
    /// turn up inside one by chance.
    static func leaks(_ value: String, in text: String) -> Bool {
        guard value.allSatisfy(\.isASCIIDigit) else { return text.contains(value) }
        var searchFrom = text.startIndex
        while let found = text.range(of: value, range: searchFrom..<text.endIndex) {
            let before = found.lowerBound > text.startIndex ? text[text.index(before: found.lowerBound)] : " "
            let after = found.upperBound < text.endIndex ? text[found.upperBound] : " "
            if !before.isHexDigit && !after.isHexDigit { return true }
            searchFrom = text.index(after: found.lowerBound)
        }
        return false
    }

    enum CorpusError: Error { case malformedLine(String) }

    static func loadCorpus(_ directory: URL) throws -> ([CorpusResource], [String: [String]]) {
        let lines = try String(contentsOf: directory.appendingPathComponent("corpus.ndjson"), encoding: .utf8).split(separator: "\n")
        // The resource's bytes as the generator wrote them (Wire's parser keeps number literals
        // and booleans exactly, where a round trip through Foundation might not).
        let resources = try lines.map { line in
            guard case .object(let entry) = try JSONParser.parse(String(line)),
                case .string(let patient)? = entry.members.first(where: { $0.name == "patient" })?.value,
                case .string(let type)? = entry.members.first(where: { $0.name == "resourceType" })?.value,
                let resource = entry.members.first(where: { $0.name == "resource" })?.value
            else { throw CorpusError.malformedLine(String(line.prefix(200))) }
            var writer = JSONWriter()
            writer.writeValue(resource)
            return CorpusResource(patient: patient, resourceType: type, json: Data(writer.text.utf8))
        }
        let secrets = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("secrets.json"))) as? [String: [String]])
        return (resources, secrets)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
