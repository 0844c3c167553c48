import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import EHRModel

@Suite("EHRContract: research access and erasure")
struct EHRResearchErasureTests {
    let ledger: EHRLedger
    let t0 = EHRLedger.start

    init() throws {
        ledger = try EHRLedger()
    }

    /// Three patients with records; Pharma asks for study s-1.
    func setUpStudy(categories: String = "[]") throws {
        try ledger.register("pt-ann", Cast.pat)
        try ledger.register("pt-dan", Cast.paula)
        try ledger.register("pt-eve", Cast.pia)
        try ledger.addRecord("rec-ann-lab", of: "pt-ann", category: "lab")
        try ledger.addRecord("rec-ann-img", of: "pt-ann", category: "imaging")
        try ledger.addRecord("rec-dan-lab", of: "pt-dan", category: "lab")
        try ledger.addRecord("rec-eve-lab", of: "pt-eve", category: "lab", by: Cast.bob)
        let request = try ledger.value(
            AccessRequest.self, "RequestAccess",
            #"{"studyID":"s-1","purpose":"HRESCH","categories":\#(categories),"description":"HbA1c outcomes"}"#, as: Cast.rosa
        )
        #expect(request.mspID == "PharmaMSP" && request.requester == "rosa" && request.periodStart == t0 && request.periodEnd == nil)
    }

    func respond(_ patientID: String, _ decision: String, as patient: Identity, at seconds: Int64? = nil) throws -> SimulationResult {
        try ledger.call(
            "RespondToAccessRequest", #"{"studyID":"s-1","patientID":"\#(patientID)","decision":"\#(decision)"}"#, as: patient,
            at: seconds ?? t0
        )
    }

    /// `StudyRecords` of `studyID` as the node `node` runs it for `researcher`.
    func studyRecords(
        _ studyID: String = "s-1", for researcher: Identity = Cast.rosa, by node: Identity = Cast.pharmaPeer, at seconds: Int64? = nil
    ) throws -> SimulationResult {
        let role = researcher.role.certificateName ?? "none"
        let argument = #"{"studyID":"\#(studyID)","researcher":{"mspID":"\#(researcher.mspID)","enrollmentID":"\#(researcher.enrollmentID)","role":"\#(role)"}}"#
        return try ledger.call("StudyRecords", argument, as: node, at: seconds ?? t0 + 10)
    }

    func export(as reader: Identity = Cast.rosa, at seconds: Int64? = nil) throws -> (StudyExport, Data) {
        let result = try studyRecords(for: reader, at: seconds)
        guard result.response.status == 200 else {
            throw EHRTestFailure(message: "StudyRecords answered \(result.response.status): \(result.response.message)")
        }
        return (try JSONDecoder().decode(StudyExport.self, from: result.response.payload), result.response.payload)
    }

    @Test("TallyAccessResponses counts answers (in force, declined, withdrawn) for the study's organisation and auditors only")
    func tally() throws {
        try setUpStudy()
        #expect(try respond("pt-ann", "approved", as: Cast.pat).response.status == 200)
        #expect(try respond("pt-dan", "approved", as: Cast.paula).response.status == 200)
        #expect(try respond("pt-dan", "declined", as: Cast.paula, at: t0 + 1).response.status == 200)
        #expect(try respond("pt-eve", "approved", as: Cast.pia).response.status == 200)
        let consent = try #require(try ledger.value([Consent].self, "ListConsents", #"{"patientID":"pt-eve"}"#, as: Cast.pia).first)
        let revoke = #"{"patientID":"pt-eve","consentID":"\#(consent.consentID)"}"#
        #expect(try ledger.call("RevokeConsent", revoke, as: Cast.pia, at: t0 + 2).response.status == 200)
        for caller in [Cast.rosa, Cast.percy, Cast.audrey] {
            let tally = try ledger.value(AccessTally.self, "TallyAccessResponses", #"{"studyID":"s-1"}"#, as: caller)
            #expect(tally == AccessTally(studyID: "s-1", approved: 1, declined: 1, withdrawn: 1))
        }
        for (caller, why) in [(Cast.rhea, "it is PharmaMSP's"), (Cast.pat, "only a admin or auditor or researcher may"), (Cast.alice, "only a admin")] {
            let refused = try ledger.call("TallyAccessResponses", #"{"studyID":"s-1"}"#, as: caller, commit: false).response
            #expect(refused.status == 403 && refused.message.contains(why), "\(refused.message)")
        }
        #expect(try ledger.call("TallyAccessResponses", #"{"studyID":"s-404"}"#, as: Cast.rosa, commit: false).response.status == 404)
    }

    @Test("Two of three patients approve: the export holds exactly their records and is audited per patient")
    func studyExport() throws {
        try setUpStudy()
        let approved = try JSONDecoder().decode(AccessResponse.self, from: try respond("pt-ann", "approved", as: Cast.pat).response.payload)
        #expect(approved.decision == .approved && approved.consentID != nil)
        #expect(try respond("pt-dan", "declined", as: Cast.paula).response.status == 200)
        #expect(try respond("pt-eve", "approved", as: Cast.pia).response.status == 200)

        let (export, bytes) = try export()
        #expect(export.studyID == "s-1")
        #expect(export.patients.map(\.patientID) == ["pt-ann", "pt-eve"])
        #expect(export.patients.map { $0.records.map(\.recordID) } == [["rec-ann-img", "rec-ann-lab"], ["rec-eve-lab"]])
        let text = String(decoding: bytes, as: UTF8.self)
        for absent in ["pt-dan", "rec-dan-lab", "bafy-rec-dan-lab"] {
            #expect(!text.contains(absent), "\(absent) leaked into the export")
        }

        let annAudit = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"pt-ann"}"#, as: Cast.audrey)
        #expect(annAudit.count == 1)
        #expect(annAudit.first?.action == "export" && annAudit.first?.studyID == "s-1" && annAudit.first?.purpose == "HRESCH")
        #expect(annAudit.first?.reader == Reader(mspID: "PharmaMSP", enrollmentID: "rosa", role: "researcher"))
        #expect(try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"pt-eve"}"#, as: Cast.audrey).count == 1)
        #expect(try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"pt-dan"}"#, as: Cast.audrey).isEmpty)

        // The consent approval created is a research consent to the requesting organisation.
        let consents = try ledger.value([Consent].self, "ListConsents", #"{"patientID":"pt-ann"}"#, as: Cast.pat)
        #expect(consents.count == 1)
        #expect(consents.first?.scope == .research && consents.first?.grantee == Grantee(kind: .organization, mspID: "PharmaMSP"))
        #expect(consents.first?.studyID == "s-1" && consents.first?.purposes == [.research])
    }

    @Test("Declining after approving revokes the study consent; repeating an answer is 409")
    func changeOfMind() throws {
        try setUpStudy()
        #expect(try respond("pt-ann", "approved", as: Cast.pat).response.status == 200)
        #expect(try respond("pt-ann", "approved", as: Cast.pat).response.status == 409)
        #expect(try export().0.patients.map(\.patientID) == ["pt-ann"])

        let declined = try respond("pt-ann", "declined", as: Cast.pat, at: t0 + 20)
        #expect(declined.response.status == 200)
        #expect(try respond("pt-ann", "declined", as: Cast.pat).response.status == 409)
        let consents = try ledger.value([Consent].self, "ListConsents", #"{"patientID":"pt-ann"}"#, as: Cast.pat)
        #expect(consents.map(\.status) == [.revoked] && consents.first?.revokedAt == t0 + 20)
        #expect(try export(at: t0 + 30).0.patients.isEmpty)
        #expect(try respond("pt-ann", "approved", as: Cast.pat, at: t0 + 40).response.status == 200)
        #expect(try export(at: t0 + 50).0.patients.map(\.patientID) == ["pt-ann"])
    }

    @Test("A study restricted to lab records exports lab records only")
    func categories() throws {
        try setUpStudy(categories: #"["lab"]"#)
        _ = try respond("pt-ann", "approved", as: Cast.pat)
        #expect(try export().0.patients.map { $0.records.map(\.recordID) } == [["rec-ann-lab"]])
    }

    @Test("Approving one study does not open records to another study of the same organisation")
    func studiesAreSeparate() throws {
        try setUpStudy(categories: #"["lab"]"#)
        _ = try respond("pt-ann", "approved", as: Cast.pat)
        let imaging = #"{"studyID":"s-img","purpose":"HRESCH","categories":["imaging"],"description":"scans"}"#
        #expect(try ledger.call("RequestAccess", imaging, as: Cast.rosa).response.status == 200)
        let answer = #"{"studyID":"s-img","patientID":"pt-ann","decision":"approved"}"#
        #expect(try ledger.call("RespondToAccessRequest", answer, as: Cast.pat).response.status == 200)
        #expect(try export().0.patients.map { $0.records.map(\.recordID) } == [["rec-ann-lab"]])
        let scans = try studyRecords("s-img")
        let study = try JSONDecoder().decode(StudyExport.self, from: scans.response.payload)
        #expect(study.patients.map { $0.records.map(\.recordID) } == [["rec-ann-img"]])
    }

    @Test("Research access rules: who may request, answer and export")
    func researchRules() throws {
        try setUpStudy()
        let again = #"{"studyID":"s-1","purpose":"HRESCH","categories":[],"description":"again"}"#
        #expect(try ledger.call("RequestAccess", again, as: Cast.rosa).response.status == 409)
        #expect(try ledger.call("RequestAccess", again.replacingOccurrences(of: "s-1", with: "s-2"), as: Cast.alice).response.status == 403)
        let treat = try ledger.call("RequestAccess", #"{"studyID":"s-3","purpose":"TREAT","categories":[],"description":"x"}"#, as: Cast.rosa)
        #expect(treat.response.status == 400 && treat.response.message.contains("purpose"))
        let requests = try ledger.value([AccessRequest].self, "ListAccessRequests", "{}", as: Cast.pat)
        #expect(requests.map(\.studyID) == ["s-1"])

        #expect(try respond("pt-dan", "approved", as: Cast.pat).response.status == 403)
        let unknownStudy = try ledger.call(
            "RespondToAccessRequest", #"{"studyID":"s-9","patientID":"pt-ann","decision":"approved"}"#, as: Cast.pat
        )
        #expect(unknownStudy.response.status == 404)
        _ = try respond("pt-ann", "approved", as: Cast.pat)
        // Only a node runs StudyRecords: its answer names patients, which no researcher may see.
        for caller in [Cast.rosa, Cast.rhea, Cast.alice, Cast.pat, Cast.audrey] {
            let refused = try ledger.call("StudyRecords", #"{"studyID":"s-1"}"#, as: caller)
            #expect(refused.response.status == 403 && refused.response.message.contains("only a node"), "\(caller): \(refused.response.message)")
            #expect(try studyRecords(for: Cast.rosa, by: caller).response.status == 403, "\(caller) naming rosa")
        }
        // The node of the study's organisation, for a researcher of that organisation only.
        let otherNode = try studyRecords(for: Cast.rosa, by: Cast.hospitalAPeer)
        #expect(otherNode.response.status == 403 && otherNode.response.message.contains("only a node of PharmaMSP"), "\(otherNode.response.message)")
        for asker in [Cast.rhea, Cast.alice] {
            let refused = try studyRecords(for: asker)
            #expect(refused.response.status == 403 && refused.response.message.contains("only researchers and backend clients of PharmaMSP"), "\(refused.response.message)")
        }
        #expect(try studyRecords("s-9").response.status == 404)
    }

    @Test("Erasure: the patient asks, an admin of the authoring organisation approves; then no one may read it")
    func erasure() throws {
        try ledger.register("pt-ann", Cast.pat)
        try ledger.addRecord("rec-1", of: "pt-ann")
        let erase = #"{"recordID":"rec-1"}"#
        #expect(try ledger.call("ApproveErasure", erase, as: Cast.ada).response.status == 404)
        #expect(try ledger.call("RequestErasure", erase, as: Cast.alice).response.status == 403)
        #expect(try ledger.call("RequestErasure", erase, as: Cast.paula).response.status == 403)
        let requested = try ledger.value(ErasureRequest.self, "RequestErasure", erase, as: Cast.pat, at: t0 + 5)
        #expect(requested == ErasureRequest(recordID: "rec-1", patientID: "pt-ann", requestedAt: t0 + 5))
        #expect(try ledger.call("RequestErasure", erase, as: Cast.pat).response.status == 409)
        for refused in [Cast.bea, Cast.alice, Cast.pat] {
            #expect(try ledger.call("ApproveErasure", erase, as: refused).response.status == 403, "\(refused)")
        }

        let approved = try ledger.call("ApproveErasure", erase, as: Cast.ada, at: t0 + 10)
        let erased = try JSONDecoder().decode(RecordReference.self, from: approved.response.payload)
        #expect(erased.erased && erased.erasedAt == t0 + 10)
        #expect(approved.event?.eventName == "RecordErased")
        #expect(approved.event?.payload == bytes(#"{"cid":"bafy-rec-1","recordID":"rec-1"}"#))
        #expect(try ledger.call("ApproveErasure", erase, as: Cast.ada).response.status == 409)

        let patientRead = try ledger.open("rec-1", as: Cast.pat, at: t0 + 20)
        #expect(patientRead.decision.outcome == .deny && patientRead.record == nil)
        #expect(try ledger.open("rec-1", as: Cast.alice, at: t0 + 20).decision.outcome == .deny)
        #expect(throws: EHRTestFailure.self) { try ledger.addRecord("rec-2", of: "pt-ann", previous: "rec-1") }

        let audit = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"pt-ann"}"#, as: Cast.pat)
        #expect(audit.map(\.action) == ["erase", "open", "open"])
        #expect(audit.first?.reader.enrollmentID == "ada" && audit.first?.recordID == "rec-1")
    }
}
