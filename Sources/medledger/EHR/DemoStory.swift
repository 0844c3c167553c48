internal import Chaincode
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit
internal import EHRModel

/// The story `medledger demo` plays, step by step, each as the identity a real user would be.
/// Every step checks its outcome; the first surprise stops the story with `DemoFailure`.
struct DemoStory {
    /// Where each identity connects (its own organisation's peer on a network of nodes).
    let nodes: DemoNodes
    /// Makes record, study and patient IDs unique to this run, so the story can be replayed.
    let run: String
    /// The `ehr` heights steps have seen: the next step's node must reach them first.
    let seen = ChannelHeight.Watermark()

    init(nodes: DemoNodes, run: String) {
        self.nodes = nodes
        self.run = run
    }

    static func runTag() -> String {
        String(Int(Date().timeIntervalSince1970 * 1000), radix: 36).uppercased()
    }

    func play() async throws {
        // One identity is one patient: a replay finds them registered already.
        let patients = ["patient-1": "P-001", "patient-2": "P-002", "patient-3": "P-003"]
        let labAlpha = Self.observation(patient: patients["patient-1"]!, glucose: 5.4)
        let labBeta = Self.observation(patient: patients["patient-2"]!, glucose: 6.1)
        let vitals = Self.observation(patient: patients["patient-3"]!, glucose: 5.0)
        if !nodes.isSingleNode {
            step("Each identity calls its own organisation's peer")
            for name in ["dr-alice", "dr-bob", "patient-1", "researcher", "auditor"] {
                let endpoint = try nodes.endpoint(of: name)
                done("\(name) → \(endpoint.node) at \(endpoint.address)")
            }
        }

        step("dr-alice (HospitalA) registers patient-1 and patient-2; dr-bob (HospitalB) registers patient-3")
        for (clinician, patient) in [("dr-alice", "patient-1"), ("dr-alice", "patient-2"), ("dr-bob", "patient-3")] {
            try await acting(clinician) { records in
                do {
                    try await records.registerPatient(patients[patient]!, certificateDER: try certificate(patient))
                } catch let error as RPCError where error.code == .alreadyExists {
                    done("\(patient) was registered by an earlier run")
                }
            }
        }
        done("patients \(patients.values.sorted().joined(separator: ", ")) bound to their certificates (no names on chain)")

        step("dr-alice adds records, encrypted on her machine")
        let lab1 = "LAB1-\(run)", note1 = "NOTE1-\(run)", lab2 = "LAB2-\(run)", lab3 = "LAB3-\(run)", visit3 = "VISIT3-\(run)"
        try await acting("dr-alice") { alice in
            let added = try await alice.addRecord(.init(recordID: lab1, patientID: patients["patient-1"]!, resourceType: "Observation", category: "lab"), plaintext: labAlpha)
            done("\(lab1): glucose lab result of patient-1 → \(added.cid)")
            _ = try await alice.addRecord(.init(recordID: note1, patientID: patients["patient-1"]!, resourceType: "DocumentReference", category: "mental-health"), plaintext: Data("Session notes.".utf8))
            done("\(note1): mental-health note of patient-1")
            _ = try await alice.addRecord(.init(recordID: lab2, patientID: patients["patient-2"]!, resourceType: "Observation", category: "lab"), plaintext: labBeta)
            done("\(lab2): lab result of patient-2")
            _ = try await alice.addRecord(.init(recordID: visit3, patientID: patients["patient-3"]!, resourceType: "Observation", category: "vital-signs"), plaintext: vitals)
            done("\(visit3): a HospitalA visit of patient-3, whose home HospitalB keeps a replica and a key copy")
        }
        try await acting("dr-bob") { bob in
            _ = try await bob.addRecord(.init(recordID: lab3, patientID: patients["patient-3"]!, resourceType: "Observation", category: "lab"), plaintext: Self.observation(patient: patients["patient-3"]!, glucose: 4.9))
            done("\(lab3): lab result of patient-3 (by dr-bob)")
        }

        // An interrupted earlier run may have left patient-1's consent to HospitalB active.
        try await acting("patient-1") { patient in
            for leftover in try await patient.consents(of: patients["patient-1"]!)
            where leftover.status == .active && leftover.scope == .treatment && leftover.grantee.mspID == "HospitalBMSP" {
                try await patient.revokeConsent(leftover.consentID, of: patients["patient-1"]!)
                done("revoked \(leftover.consentID), left active by an earlier run")
            }
        }

        step("dr-bob of HospitalB tries to read patient-1's lab result")
        let denied = try await acting("dr-bob") { try await $0.openRecord(lab1, purpose: "TREAT") }
        try expect(denied.decision.outcome == .deny && denied.plaintext == nil, "dr-bob should be denied before consent")
        done("DENIED — \(denied.decision.rule) (the denial is audited: transaction \(denied.txID))")

        step("patient-1 grants HospitalB treatment access, except mental-health records")
        let consent = try await acting("patient-1") { patient in
            try await patient.grantConsent(ConsentDraft(
                patientID: patients["patient-1"]!, grantee: Grantee(kind: .organization, mspID: "HospitalBMSP"),
                provisions: [Provision(type: .deny, categories: ["mental-health"])]))
        }
        done("consent \(consent.consentID)")

        step("dr-bob reads patient-1's lab result again")
        let permitted = try await acting("dr-bob") { try await $0.openRecord(lab1, purpose: "TREAT") }
        try expect(permitted.decision.outcome == .permit && permitted.plaintext == labAlpha, "dr-bob should now read the lab result")
        done("PERMITTED — \(permitted.decision.rule); \(permitted.plaintext?.count ?? 0) bytes decrypted, SHA-256 matches the ledger")
        let mental = try await acting("dr-bob") { try await $0.openRecord(note1, purpose: "TREAT") }
        try expect(mental.decision.outcome == .deny, "the mental-health note should stay denied")
        done("mental-health note still DENIED — \(mental.decision.rule)")

        try await playOutage(record: visit3, plaintext: vitals, patientID: patients["patient-3"]!)

        step("patient-1 looks at who read their records")
        let trail = try await acting("patient-1") { try await $0.auditTrail(of: patients["patient-1"]!) }
        for event in trail { done("\(event.outcome.rawValue.uppercased()) \(event.recordID ?? "-") by \(event.reader.enrollmentID)@\(event.reader.mspID) for \(event.purpose)") }

        step("Break-glass: dr-bob opens patient-2's record in an emergency, with a justification")
        let emergency = try await acting("dr-bob") { try await $0.openRecord(lab2, purpose: "ETREAT", justification: "unconscious patient in the ER") }
        try expect(emergency.decision.outcome == .permit && emergency.plaintext == labBeta, "break-glass should permit")
        done("PERMITTED — \(emergency.decision.rule); access expires in 4 h")
        let notice = try await acting("patient-2") { patient in
            let found = NoticeBox()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await patient.watchBreakGlass(patientID: patients["patient-2"]!, fromBlock: 0) { alert in
                        guard alert.txID == emergency.txID else { return true }
                        found.notice = alert.notice
                        return false
                    }
                }
                group.addTask { try await Task.sleep(for: .seconds(30)) }
                try await group.next()
                group.cancelAll()
            }
            return found.notice
        }
        try expect(notice != nil, "patient-2 should be notified of the break-glass read")
        done("patient-2 (and HospitalA) notified: \(notice?.reader.enrollmentID ?? "?")@\(notice?.reader.mspID ?? "?") — \"\(notice?.justification ?? "")\"")

        let study = "GLU-\(run)"
        step("PharmaCo's researcher requests lab data for study \(study)")
        try await acting("researcher") { try await $0.requestAccess(studyID: study, categories: ["lab"], description: "glucose trends") }
        try await acting("patient-1") { try await $0.respond(toStudy: study, patientID: patients["patient-1"]!, approve: true) }
        try await acting("patient-2") { try await $0.respond(toStudy: study, patientID: patients["patient-2"]!, approve: true) }
        try await acting("patient-3") { try await $0.respond(toStudy: study, patientID: patients["patient-3"]!, approve: false) }
        done("patient-1 and patient-2 approve; patient-3 declines")

        step("The researcher exports the study")
        let export = try await acting("researcher") { try await $0.exportStudy(study) }
        let text = String(decoding: export.ndjson, as: UTF8.self)
        let approversLabs = try await acting("dr-alice") { alice in
            var count = 0
            for patient in [patients["patient-1"]!, patients["patient-2"]!] {
                count += try await alice.listRecords(of: patient).filter { $0.category == "lab" && !$0.erased }.count
            }
            return count
        }
        try expect(
            export.patients == 2 && export.resources == approversLabs,
            "the export should hold the approvers' \(approversLabs) lab results and nothing else, got \(export.resources) of \(export.patients) patients")
        try expect(!patients.values.contains { text.contains($0) }, "the export must not contain patient IDs")
        done("\(export.resources) de-identified FHIR R4 resources of \(export.patients) patients (audited: \(export.txID)):")
        for line in text.split(separator: "\n") { print("      \(line)") }

        step("patient-1 revokes the consent; dr-bob's next read is denied")
        try await acting("patient-1") { try await $0.revokeConsent(consent.consentID, of: patients["patient-1"]!) }
        let afterRevoke = try await acting("dr-bob") { try await $0.openRecord(lab1, purpose: "TREAT") }
        try expect(afterRevoke.decision.outcome == .deny, "revocation should deny new reads")
        done("DENIED — \(afterRevoke.decision.rule)")

        step("patient-1 asks to erase the mental-health note; HospitalA's admin approves")
        try await acting("patient-1") { try await $0.requestErasure(of: note1) }
        try await acting("hospitala-admin") { try await $0.approveErasure(of: note1) }
        let erased = try await acting("patient-1") { try await $0.openRecord(note1, purpose: "TREAT") }
        try expect(erased.decision.outcome == .deny, "an erased record cannot be read")
        done("every key copy destroyed, content collected; even patient-1 is now DENIED — \(erased.decision.rule)")

        step("The regulator's auditor re-verifies the ehr chain from its blocks")
        let report = try await client(as: "auditor") { client in
            try await ChainAudit.verify(client: client, channel: "ehr", knownChaincodes: ["asset", "ehr"])
        }
        done("\(report.height) blocks, \(report.transactions) transactions (\(report.validTransactions) valid): hashes, signatures, policies and state all check; tip \(report.tipHash.prefix(16))…")
        print("\nThe story is complete.")
    }

    /// A FHIR R4 glucose Observation with the identifiers a real one carries.
    static func observation(patient: String, glucose: Double) -> Data {
        Data(
            """
            {"resourceType":"Observation","status":"final","identifier":[{"system":"urn:hospital:mrn","value":"MRN-\(patient)"}],\
            "code":{"coding":[{"system":"http://loinc.org","code":"2339-0","display":"Glucose [Mass/volume] in Blood"}]},\
            "subject":{"reference":"Patient/\(patient)"},"effectiveDateTime":"2026-11-02T08:15:00Z",\
            "valueQuantity":{"value":\(glucose),"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}
            """.utf8)
    }
}
