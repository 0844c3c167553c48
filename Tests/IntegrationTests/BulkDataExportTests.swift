import EHRModel
import Foundation
import Identity
import X509
import MedLedgerKit
import MedLedgerTesting
import Server
import Testing

/// FHIR Bulk Data export through SMART Backend Services, end to end over HTTPS: a Python client
/// written from the IG and the SMART text alone (Python/bulk_client.py: `requests` + `jwcrypto`)
/// registers through the CLI's SDK call, gets a token, kicks off, polls, downloads, validates
/// every line as FHIR R4 (Python/validate_fhir.py), deletes; the bad-auth cases get the answers
/// the IG and RFC 6749/7523 give.
@Suite("FHIR Bulk Data export with SMART Backend Services", .timeLimit(.minutes(5)))
struct BulkDataExportTests {
    static let client = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/bulk_client.py").path
    static let validator = repositoryRoot.appendingPathComponent("Tests/IntegrationTests/Python/validate_fhir.py").path

    /// Runs bulk_client.py with `arguments` and returns the one JSON object it prints.
    static func python(_ arguments: [String]) async throws -> [String: Any] {
        let run = try await runProcess(["python3", client] + arguments, timeout: .seconds(150))
        try #require(run.status == 0, "bulk_client.py \(arguments.first ?? "") failed\n\(run.summary)")
        return try #require(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any], "\(run.summary)")
    }

    @Test func aBackendClientExportsAStudyAndEveryLineValidatesAsR4() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let keys = directory.url.appendingPathComponent("keys")
        _ = try await Self.python(["keygen", "--alg", "ES384", "--kid", "etl-es384", "--out", keys.appendingPathComponent("etl").path])
        _ = try await Self.python(["keygen", "--alg", "RS384", "--kid", "audit-rs384", "--out", keys.appendingPathComponent("audit").path])
        let key = { (client: String, file: String) in keys.appendingPathComponent(client).appendingPathComponent(file) }

        try await withDevNetwork(in: directory.url.appendingPathComponent("dev"), httpsPort: 0) { dev in
            try await Self.prepareStudies(dev)
            // PharmaCo's admin registers two backend clients, each for one study: with the SDK and with the CLI.
            let admin = DevNetwork.adminName(of: "PharmaCo")
            let registered = try await dev.records(as: admin) { admin in
                try await admin.registerBackendClient(
                    clientID: "pharma-etl", name: "PharmaCo ETL", jwks: try Data(contentsOf: key("etl", "jwks.json")), studies: ["DM2-BULK"])
            }
            #expect(registered.keys.map(\.kid) == ["etl-es384"] && registered.studies == ["DM2-BULK"])
            let cli = [
                NodeProcess.medledger, "access", "register-client", "--address", "\(dev.address.host):\(dev.address.port)", "--identity",
                try dev.network.identity(admin).directory.path, "--client-id", "pharma-audit", "--study", "OTHER-BULK", "--jwks",
            ]
            let viaCLI = try await runProcess(cli + [key("audit", "jwks.json").path]).requireSuccess()
            #expect(viaCLI.contains("pharma-audit of PharmaCoMSP, active: studies OTHER-BULK; keys audit-rs384 (RS384)"), "\(viaCLI)")
            // A set holding the private key is refused before anything is sent.
            let privateSet = directory.url.appendingPathComponent("private-set.json")
            try Data(#"{"keys":[\#(try String(contentsOf: key("audit", "private.jwk.json"), encoding: .utf8))]}"#.utf8).write(to: privateSet)
            let refused = try await runProcess(cli + [privateSet.path])
            #expect(refused.status != 0 && refused.standardError.contains("is a private key"), "\(refused.summary)")
            let base = try await #require(dev.node.fhirEndpoint).baseURL
            let common = ["--base", base, "--ca", dev.node.caCertificatePath, "--client-id", "pharma-etl", "--key", key("etl", "private.jwk.json").path]

            let export = try await Self.python(
                ["export"] + common + ["--group", "DM2-BULK", "--out", directory.url.appendingPathComponent("files").path, "--validator", Self.validator])
            try Self.checkExport(export)
            try await Self.checkCapabilityStatement(export["capabilityStatement"] as? [String: Any] ?? [:], in: directory.url)

            // Only Observation, by scope and _type.
            let typed = try await Self.python(
                ["export"] + common + [
                    "--group", "DM2-BULK", "--out", directory.url.appendingPathComponent("typed").path, "--type", "Observation", "--scope",
                    "system/Observation.rs",
                ])
            let typedManifest = typed["manifest"] as? [String: Any] ?? [:]
            #expect((typedManifest["output"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String } == ["Observation"], "\(typed)")

            let bad = try await Self.python(
                ["badcases"] + common + ["--other-key", key("audit", "private.jwk.json").path, "--group", "DM2-BULK", "--other-group", "OTHER-BULK"])
            Self.checkBadCases(bad["cases"] as? [String: Any] ?? [:])

            // Each kick-off is an audit event naming the client; the declining patient's is not there.
            let audit = try await dev.records(as: "patient-1") { try await $0.auditTrail(of: "P-1") }
            let exports = audit.filter { $0.action == "export" && $0.studyID == "DM2-BULK" }
            #expect(exports.count >= 2 && exports.allSatisfy { $0.reader == Reader(mspID: "PharmaCoMSP", enrollmentID: "pharma-etl", role: "backend-client") })
        }
    }

    /// Patient 1 approves DM2-BULK, patient 2 declines it; OTHER-BULK is a second study of PharmaCo.
    static func prepareStudies(_ dev: RunningDevNetwork) async throws {
        let certificate = { (name: String) in Data(try dev.network.identity(name).loadCertificate().derBytes) }
        try await dev.records(as: "dr-alice") { alice in
            try await alice.registerPatient("P-1", certificateDER: try certificate("patient-1"))
            try await alice.registerPatient("P-2", certificateDER: try certificate("patient-2"))
            let uploads: [(String, String, String, String, Data)] = [
                ("p1-obs", "P-1", "Observation", "lab", FHIRSamples.observation(patient: "P-1")),
                ("p1-cond", "P-1", "Condition", "problem", FHIRSamples.condition(patient: "P-1")),
                ("p1-rx", "P-1", "MedicationRequest", "prescription", FHIRSamples.medicationRequest(patient: "P-1")),
                ("p1-report", "P-1", "DiagnosticReport", "lab", FHIRSamples.diagnosticReport(patient: "P-1")),
                ("p1-scan", "P-1", "Binary", "lab", Data("Jane Doe, MRN-6789".utf8)),
                ("p2-obs", "P-2", "Observation", "lab", FHIRSamples.observation(patient: "P-2")),
            ]
            for (id, patient, type, category, resource) in uploads {
                _ = try await alice.addRecord(.init(recordID: id, patientID: patient, resourceType: type, category: category), plaintext: resource)
            }
        }
        try await dev.records(as: "researcher") { researcher in
            _ = try await researcher.requestAccess(studyID: "DM2-BULK", categories: ["lab", "problem", "prescription"], description: "type 2 diabetes")
            _ = try await researcher.requestAccess(studyID: "OTHER-BULK", categories: ["lab"], description: "another study")
        }
        _ = try await dev.records(as: "patient-1") { try await $0.respond(toStudy: "DM2-BULK", patientID: "P-1", approve: true) }
        _ = try await dev.records(as: "patient-2") { try await $0.respond(toStudy: "DM2-BULK", patientID: "P-2", approve: false) }
    }

    /// The whole flow as the IG describes it, every line valid R4 and de-identified, then deleted.
    static func checkExport(_ export: [String: Any]) throws {
        #expect(export["error"] is NSNull, "\(export["error"] ?? "")")
        let configuration = export["smartConfiguration"] as? [String: Any] ?? [:]
        #expect((configuration["token_endpoint"] as? String)?.hasSuffix("/auth/token") == true)
        #expect(configuration["token_endpoint_auth_methods_supported"] as? [String] == ["private_key_jwt"])
        let token = export["token"] as? [String: Any] ?? [:]
        #expect(token["status"] as? Int == 200 && (token["token_type"] as? String)?.lowercased() == "bearer" && token["scope"] as? String == "system/*.rs")
        let kickoff = export["kickoff"] as? [String: Any] ?? [:]
        #expect(kickoff["status"] as? Int == 202 && (kickoff["contentLocation"] as? String)?.contains("/fhir/bulkstatus/") == true, "\(kickoff)")
        let manifest = export["manifest"] as? [String: Any] ?? [:]
        #expect(manifest["requiresAccessToken"] as? Bool == true && (manifest["request"] as? String)?.contains("/fhir/Group/DM2-BULK/$export") == true)
        let instant = /[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/
        #expect((manifest["transactionTime"] as? String)?.wholeMatch(of: instant) != nil, "\(manifest["transactionTime"] ?? "")")
        let outputs = manifest["output"] as? [[String: Any]] ?? []
        #expect(Set(outputs.compactMap { $0["type"] as? String }) == ["Observation", "Condition", "MedicationRequest", "DiagnosticReport"], "\(manifest)")
        #expect(outputs.allSatisfy { $0["count"] as? Int == 1 })
        #expect((manifest["error"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String } == ["OperationOutcome"])

        let files = export["files"] as? [[String: Any]] ?? []
        #expect(files.count == 4)
        for file in files {
            #expect(file["status"] as? Int == 200 && file["contentType"] as? String == "application/fhir+ndjson" && file["countMatches"] as? Bool == true)
            let validation = file["validation"] as? [String: Any] ?? [:]
            try #require(validation["exitCode"] as? Int != 2, "fhir.resources for FHIR R4 is not installed; run .ci/setup")
            let report = validation["report"] as? [String: Any] ?? [:]
            #expect(report["valid"] as? Int == 1 && report["lines"] as? Int == 1, "\(file["type"] ?? "?"): \(report)")
            let text = try String(contentsOfFile: file["path"] as? String ?? "", encoding: .utf8)
            for forbidden in ResearchExportFHIRTests.identifying where text.contains(forbidden) {
                Issue.record("the bulk export of \(file["type"] ?? "?") leaks \(forbidden)")
            }
        }
        let deleted = export["delete"] as? [String: Any] ?? [:]
        #expect(deleted["status"] as? Int == 202 && deleted["statusAfter"] as? Int == 404 && deleted["fileAfter"] as? Int == 404, "\(deleted)")
    }

    /// `GET [base]/metadata` is an R4 CapabilityStatement (fhir.resources) naming Group `$export`.
    static func checkCapabilityStatement(_ answer: [String: Any], in directory: URL) async throws {
        #expect(answer["status"] as? Int == 200 && answer["contentType"] as? String == "application/fhir+json", "\(answer)")
        let statement = answer["body"] as? [String: Any] ?? [:]
        let operations = (statement["rest"] as? [[String: Any]])?.first?["resource"] as? [[String: Any]] ?? []
        #expect(operations.contains { $0["type"] as? String == "Group" && ($0["operation"] as? [[String: Any]])?.first?["name"] as? String == "export" })
        let file = directory.appendingPathComponent("capability.ndjson")
        try JSONSerialization.data(withJSONObject: statement).write(to: file)
        let run = try await runProcess(["sh", "-c", #"exec python3 "$1" < "$2""#, "sh", validator, file.path], timeout: .seconds(120))
        try #require(run.status != 2, "fhir.resources for FHIR R4 is not installed; run .ci/setup\n\(run.summary)")
        #expect(run.status == 0, "the CapabilityStatement is not valid R4: \(run.standardOutput)")
    }

    /// Each refusal as the standards give it: OAuth errors from the token endpoint, OperationOutcomes from FHIR.
    static func checkBadCases(_ cases: [String: Any]) {
        let answer = { (name: String) in cases[name] as? [String: Any] ?? [:] }
        let oauthError = { (name: String) in (answer(name)["body"] as? [String: Any])?["error"] as? String }
        for name in ["expiredAssertion", "expTooFar", "wrongAudience", "unknownClient", "otherClientsKey", "issNotSub", "wrongAssertionType"] {
            #expect(answer(name)["status"] as? Int == 400 && oauthError(name) == "invalid_client", "\(name): \(answer(name))")
        }
        let replay = answer("replayedJti")
        #expect((replay["first"] as? [String: Any])?["status"] as? Int == 200, "\(replay)")
        let second = replay["second"] as? [String: Any] ?? [:]
        #expect(second["status"] as? Int == 400 && (second["body"] as? [String: Any])?["error"] as? String == "invalid_client", "\(replay)")
        #expect(answer("wrongGrantType")["status"] as? Int == 400 && oauthError("wrongGrantType") == "unsupported_grant_type")
        let outcomes: [(String, Int)] = [
            ("noToken", 401), ("badToken", 401), ("otherStudy", 403), ("missingPrefer", 400), ("badOutputFormat", 400), ("unknownType", 400),
        ]
        for (name, status) in outcomes {
            let body = answer(name)["body"] as? [String: Any] ?? [:]
            #expect(answer(name)["status"] as? Int == status && body["resourceType"] as? String == "OperationOutcome", "\(name): \(answer(name))")
            #expect(answer(name)["contentType"] as? String == "application/fhir+json", "\(name)")
        }
        #expect((answer("noToken")["wwwAuthenticate"] as? String)?.hasPrefix("Bearer") == true)
    }
}
