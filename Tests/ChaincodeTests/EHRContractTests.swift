import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import EHRModel

@Suite("EHRContract: patients, records, consents and audited reads")
struct EHRContractTests {
    let ledger: EHRLedger
    let t0 = EHRLedger.start

    init() throws {
        ledger = try EHRLedger()
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ result: SimulationResult) throws -> Value {
        try JSONDecoder().decode(type, from: result.response.payload)
    }

    @Test("The EHR contract is built in, next to the asset contract")
    func builtIn() throws {
        #expect(BuiltInContracts.all.map(\.name) == ["asset", "ehr"])
        #expect(EHRContract().functions.count == 20)
        #expect(EHRContract().breakGlassDuration == 4 * 3600)
    }

    @Test("Story: other hospital denied and audited, patient grants, permit audited, revoke, denied again")
    func story() throws {
        let patient = try ledger.register("p-7", Cast.pat)
        #expect(patient == Patient(
            patientID: "p-7", mspID: "HospitalAMSP", enrollmentID: "pat", certificate: Cast.certificate(Cast.pat),
            registeredBy: "alice", registeredAt: t0
        ))
        let record = try ledger.addRecord("r-1", of: "p-7", category: "lab")
        #expect(record.authorMSP == "HospitalAMSP" && record.author == "alice" && record.version == 1 && !record.erased)

        // Hospital B has no consent: denied, and the denial commits as an audit event.
        let denied = try ledger.call("OpenRecord", #"{"recordID":"r-1","purpose":"TREAT"}"#, as: Cast.bob, at: t0 + 10)
        #expect(denied.response.status == 200)
        let deniedResult = try decode(OpenRecordResult.self, denied)
        #expect(deniedResult.decision.outcome == .deny)
        #expect(deniedResult.decision.rule == "no active consent grants HospitalBMSP/bob purpose TREAT for category lab")
        #expect(deniedResult.record == nil)
        #expect(denied.readWriteSet?.writes.count == 1)
        #expect(!denied.response.text.contains("bafy-r-1"))

        // The patient grants Hospital B treatment access to lab records.
        let consent = try ledger.value(
            Consent.self, "GrantConsent",
            #"{"patientID":"p-7","scope":"treatment","grantee":{"kind":"organization","mspID":"HospitalBMSP"},"purposes":["TREAT"],"categories":["lab"]}"#,
            as: Cast.pat, at: t0 + 20
        )
        #expect(consent.consentID.hasPrefix("c-tx-"))
        #expect(consent.periodStart == t0 + 20 && consent.periodEnd == nil && consent.status == .active)

        let permitted = try ledger.open("r-1", as: Cast.bob, at: t0 + 30)
        #expect(permitted.decision.outcome == .permit)
        #expect(permitted.decision.consentID == consent.consentID)
        #expect(permitted.record == record)

        // The patient sees both reads, in order, with the rule that decided each.
        let audit = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"p-7"}"#, as: Cast.pat)
        #expect(audit.map(\.outcome) == [.deny, .permit])
        #expect(audit.map(\.recordedAt) == [t0 + 10, t0 + 30])
        #expect(audit.map(\.eventID) == [deniedResult.auditID, permitted.auditID])
        #expect(audit.allSatisfy { $0.reader == Reader(mspID: "HospitalBMSP", enrollmentID: "bob", role: "clinician") && $0.action == "open" })
        #expect(audit[1].rule.contains(consent.consentID))
        // A page of the most recent events only; a limit outside 1...1000 is refused by name.
        let last = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"p-7","limit":1}"#, as: Cast.pat)
        #expect(last.map(\.eventID) == [permitted.auditID])
        let tooMany = try ledger.call("ListAudit", #"{"patientID":"p-7","limit":5000}"#, as: Cast.pat)
        #expect(tooMany.response.status == 400 && tooMany.response.message.contains("field \"limit\" must be 1 to 1000"))

        // Revocation is forward-only: the earlier permit stays audited, the next read is denied.
        let revoked = try ledger.value(
            Consent.self, "RevokeConsent", #"{"patientID":"p-7","consentID":"\#(consent.consentID)"}"#, as: Cast.pat, at: t0 + 40
        )
        #expect(revoked.status == .revoked && revoked.revokedAt == t0 + 40)
        #expect(try ledger.open("r-1", as: Cast.bob, at: t0 + 50).decision.outcome == .deny)
        let after = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"p-7"}"#, as: Cast.audrey)
        #expect(after.map(\.outcome) == [.deny, .permit, .deny])
        let again = try ledger.call("RevokeConsent", #"{"patientID":"p-7","consentID":"\#(consent.consentID)"}"#, as: Cast.pat)
        #expect(again.response.status == 409)
        let consents = try ledger.value([Consent].self, "ListConsents", #"{"patientID":"p-7"}"#, as: Cast.pat)
        #expect(consents == [revoked])
    }

    @Test("A patient cannot grant, revoke or list consent for another patient")
    func consentIsThePatients() throws {
        try ledger.register("p-1", Cast.pat)
        try ledger.register("p-2", Cast.paula)
        let grant = #"{"patientID":"p-2","scope":"treatment","grantee":{"kind":"organization","mspID":"HospitalBMSP"},"purposes":["TREAT"],"categories":[]}"#
        let forged = try ledger.call("GrantConsent", grant, as: Cast.pat)
        #expect(forged.response.status == 403)
        #expect(forged.response.message.contains("only patient p-2 may grant consent"))
        #expect(forged.readWriteSet == nil)
        #expect(try ledger.call("GrantConsent", grant, as: Cast.alice).response.status == 403)
        let own = try ledger.value(Consent.self, "GrantConsent", grant, as: Cast.paula)
        let revoke = #"{"patientID":"p-2","consentID":"\#(own.consentID)"}"#
        #expect(try ledger.call("RevokeConsent", revoke, as: Cast.pat).response.status == 403)
        #expect(try ledger.call("ListConsents", #"{"patientID":"p-2"}"#, as: Cast.pat).response.status == 403)
        #expect(try ledger.call("ListConsents", #"{"patientID":"p-2"}"#, as: Cast.bob).response.status == 403)
        #expect(try ledger.call("ListAudit", #"{"patientID":"p-2"}"#, as: Cast.pat).response.status == 403)
        #expect(try ledger.call("ListAudit", #"{"patientID":"p-2"}"#, as: Cast.alice).response.status == 403)
        #expect(try ledger.call("RevokeConsent", #"{"patientID":"p-2","consentID":"c-none"}"#, as: Cast.paula).response.status == 404)
    }

    @Test("GrantConsent checks purposes against scope, the grantee and the period")
    func consentValidation() throws {
        try ledger.register("p-1", Cast.pat)
        func grant(_ fields: String) throws -> Medledger_V1_Response {
            try ledger.call("GrantConsent", #"{"patientID":"p-1",\#(fields)}"#, as: Cast.pat).response
        }
        let org = #""grantee":{"kind":"organization","mspID":"HospitalBMSP"},"categories":[]"#
        let wrongScope = try grant(#""scope":"treatment","purposes":["HRESCH"],\#(org)"#)
        #expect(wrongScope.status == 400 && wrongScope.message.contains("HRESCH does not fit scope treatment"))
        #expect(try grant(#""scope":"research","purposes":["TREAT"],\#(org)"#).status == 400)
        #expect(try grant(#""scope":"treatment","purposes":[],\#(org)"#).status == 400)
        let badRole = try grant(#""scope":"treatment","purposes":["TREAT"],"categories":[],"grantee":{"kind":"role","mspID":"HospitalBMSP","role":"surgeon"}"#)
        #expect(badRole.status == 400 && badRole.message.contains("grantee.role"))
        let noEnrollment = try grant(#""scope":"treatment","purposes":["TREAT"],"categories":[],"grantee":{"kind":"identity","mspID":"HospitalBMSP"}"#)
        #expect(noEnrollment.status == 400 && noEnrollment.message.contains("grantee.enrollmentID"))
        let backwards = try grant(#""scope":"treatment","purposes":["TREAT"],\#(org),"periodStart":200,"periodEnd":100"#)
        #expect(backwards.status == 400 && backwards.message.contains("periodEnd"))
        let badKind = try grant(#""scope":"treatment","purposes":["TREAT"],"categories":[],"grantee":{"kind":"everyone","mspID":"X"}"#)
        #expect(badKind.status == 400 && badKind.message.contains("grantee.kind"))
        let nested = try grant(
            #""scope":"treatment","purposes":["TREAT","ETREAT"],\#(org),"provisions":[{"type":"deny","categories":["mental-health"],"provisions":[{"type":"permit","recordIDs":["r-1"]}]}]"#
        )
        #expect(nested.status == 200)
        let stored = try JSONDecoder().decode(Consent.self, from: nested.payload)
        #expect(stored.provisions == [Provision(type: .deny, categories: ["mental-health"], provisions: [Provision(type: .permit, recordIDs: ["r-1"])])])
    }

    @Test("Break-glass: a justified read creates a grant and an event; later ETREAT works for 4 hours, then not")
    func breakGlass() throws {
        try ledger.register("p-1", Cast.pat)
        try ledger.addRecord("r-1", of: "p-1", category: "mental-health")

        let unjustified = try ledger.open("r-1", purpose: "ETREAT", as: Cast.bob, at: t0)
        #expect(unjustified.decision.outcome == .deny)
        #expect(unjustified.decision.rule.contains("needs a justification"))

        let call = try ledger.call(
            "OpenRecord", #"{"recordID":"r-1","purpose":"ETREAT","justification":"unconscious in ER"}"#, as: Cast.bob, at: t0 + 100
        )
        let broken = try decode(OpenRecordResult.self, call)
        #expect(broken.decision.outcome == .permit)
        #expect(broken.decision.rule == "break-glass: unconscious in ER")
        #expect(broken.record?.recordID == "r-1")
        let event = try #require(call.event)
        #expect(event.eventName == "BreakGlass")
        let expiresAt = t0 + 100 + 4 * 3600
        let expected = #"{"expiresAt":\#(expiresAt),"justification":"unconscious in ER","patientID":"p-1","patientMSP":"HospitalAMSP","reader":{"enrollmentID":"bob","mspID":"HospitalBMSP","role":"clinician"},"recordID":"r-1"}"#
        #expect(String(decoding: event.payload, as: UTF8.self) == expected)

        #expect(broken.breakGlassExpiresAt == expiresAt)
        #expect(unjustified.breakGlassExpiresAt == nil)

        let within = try ledger.open("r-1", purpose: "ETREAT", as: Cast.bob, at: expiresAt - 1)
        #expect(within.decision.outcome == .permit)
        #expect(within.breakGlassExpiresAt == expiresAt)
        #expect(within.decision.rule.contains("break-glass grant for HospitalBMSP/bob valid until \(expiresAt)"))
        #expect(try ledger.open("r-1", purpose: "ETREAT", as: Cast.ben, at: t0 + 200).decision.outcome == .deny)
        #expect(try ledger.open("r-1", purpose: "TREAT", as: Cast.bob, at: t0 + 200).decision.outcome == .deny)
        #expect(try ledger.open("r-1", purpose: "ETREAT", as: Cast.bob, at: expiresAt).decision.outcome == .deny)

        let audit = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"p-1"}"#, as: Cast.pat)
        #expect(audit.map(\.action) == ["open", "break-glass", "open", "open", "break-glass", "open"])
        #expect(audit[1].justification == "unconscious in ER")
        // Oldest first: the two refusals at t0 + 200 come before the read just inside the grant.
        #expect(audit.map(\.outcome) == [.deny, .permit, .deny, .deny, .permit, .deny])
    }

    @Test("OpenRecord of a missing record is 404 and writes nothing")
    func openMissing() throws {
        let missing = try ledger.call("OpenRecord", #"{"recordID":"r-404","purpose":"TREAT"}"#, as: Cast.bob)
        #expect(missing.response.status == 404)
        #expect(missing.readWriteSet == nil)
    }
}
