import Chaincode
import Testing
import EHRModel

/// One row of the evaluator table: a question, the facts, and the expected outcome and rule.
struct EvaluatorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var reader: Reader
    var record: RecordReference = EvaluatorFixtures.labRecord
    var purpose: Purpose = .treatment
    var time: Int64 = 1_500
    var justification: String?
    var consents: [Consent] = []
    var grants: [BreakGlassGrant] = []
    var outcome: Outcome
    /// Text the decision's rule must contain.
    var rule: String
    var action: ConsentEvaluator.Action = .none

    var testDescription: String { name }
}

/// Readers, records and consents the table is built from; consents are valid from 1000 to 2000.
enum EvaluatorFixtures {
    static let patient = Patient(
        patientID: "p-1", mspID: "HospitalAMSP", enrollmentID: "pat", certificate: "", registeredBy: "alice", registeredAt: 0
    )
    static let pat = Reader(mspID: "HospitalAMSP", enrollmentID: "pat", role: "patient")
    static let paula = Reader(mspID: "HospitalAMSP", enrollmentID: "paula", role: "patient")
    static let alice = Reader(mspID: "HospitalAMSP", enrollmentID: "alice", role: "clinician")
    static let ada = Reader(mspID: "HospitalAMSP", enrollmentID: "ada", role: "admin")
    static let rhea = Reader(mspID: "HospitalAMSP", enrollmentID: "rhea", role: "researcher")
    static let bob = Reader(mspID: "HospitalBMSP", enrollmentID: "bob", role: "clinician")
    static let ben = Reader(mspID: "HospitalBMSP", enrollmentID: "ben", role: "clinician")
    static let bea = Reader(mspID: "HospitalBMSP", enrollmentID: "bea", role: "admin")
    static let rosa = Reader(mspID: "PharmaMSP", enrollmentID: "rosa", role: "researcher")

    static func record(_ id: String, _ category: String, erased: Bool = false) -> RecordReference {
        RecordReference(
            recordID: id, patientID: "p-1", cid: "bafy-\(id)", plaintextSHA256: String(repeating: "a", count: 64),
            resourceType: "Observation", category: category, authorMSP: "HospitalAMSP", author: "alice", createdAt: 100,
            keyDigests: ["patient": "", "author": ""], erased: erased, erasedAt: erased ? 1_200 : nil
        )
    }

    static let labRecord = record("r-lab", "lab")
    static let imagingRecord = record("r-img", "imaging")
    static let mentalHealthRecord = record("r-mh", "mental-health")
    static let noteRecord = record("r-note", "note")
    static let otherNoteRecord = record("r-note2", "note")
    static let erasedRecord = record("r-gone", "lab", erased: true)

    static func consent(
        _ id: String, to grantee: Grantee, scope: ConsentScope = .treatment, purposes: [Purpose] = [.treatment],
        categories: [String] = [], end: Int64? = 2_000, provisions: [Provision] = [], status: ConsentStatus = .active
    ) -> Consent {
        Consent(
            consentID: id, patientID: "p-1", scope: scope, grantee: grantee, purposes: purposes, categories: categories,
            periodStart: 1_000, periodEnd: end, provisions: provisions, status: status, grantedAt: 1_000,
            revokedAt: status == .revoked ? 1_100 : nil
        )
    }

    static let hospitalB = Grantee(kind: .organization, mspID: "HospitalBMSP")
    static let toHospitalB = consent("c-org", to: hospitalB)
    static let toPharmaResearch = consent(
        "c-study", to: Grantee(kind: .organization, mspID: "PharmaMSP"), scope: .research, purposes: [.research], end: nil
    )
    /// Permit everything but mental-health records.
    static let allButMentalHealth = consent("c-mh", to: hospitalB, provisions: [Provision(type: .deny, categories: ["mental-health"])])
    /// Deny notes, except record r-note.
    static let noNotesButOne = consent(
        "c-notes", to: hospitalB,
        provisions: [Provision(type: .deny, categories: ["note"], provisions: [Provision(type: .permit, recordIDs: ["r-note"])])]
    )

    static func grant(_ reader: Reader, expiresAt: Int64) -> BreakGlassGrant {
        BreakGlassGrant(
            patientID: "p-1", mspID: reader.mspID, enrollmentID: reader.enrollmentID, justification: "unconscious in ER",
            grantedAt: 1_400, expiresAt: expiresAt
        )
    }
}

@Suite("ConsentEvaluator decides from consents and grants alone")
struct EHRConsentEvaluatorTests {
    typealias F = EvaluatorFixtures

    static let cases: [EvaluatorCase] = [
        // The patient.
        EvaluatorCase(name: "patient reads own record", reader: F.pat, purpose: .research, outcome: .permit, rule: "patient reads own record"),
        EvaluatorCase(name: "another patient is denied", reader: F.paula, outcome: .deny, rule: "no active consent grants HospitalAMSP/paula"),
        EvaluatorCase(
            name: "erased record denied even to the patient", reader: F.pat, record: F.erasedRecord, outcome: .deny,
            rule: "record r-gone is erased"
        ),
        EvaluatorCase(
            name: "erased record denied to the author", reader: F.alice, record: F.erasedRecord, outcome: .deny, rule: "is erased"
        ),
        // The authoring organisation.
        EvaluatorCase(name: "author clinician reads", reader: F.alice, outcome: .permit, rule: "authoring organisation HospitalAMSP"),
        EvaluatorCase(name: "author admin reads", reader: F.ada, outcome: .permit, rule: "authoring organisation"),
        EvaluatorCase(
            name: "author clinician for emergency treatment", reader: F.alice, purpose: .emergencyTreatment, outcome: .permit,
            rule: "authoring organisation"
        ),
        EvaluatorCase(name: "author org researcher is denied", reader: F.rhea, outcome: .deny, rule: "no active consent"),
        EvaluatorCase(name: "author clinician for research is denied", reader: F.alice, purpose: .research, outcome: .deny, rule: "no active consent"),
        // Consent period.
        EvaluatorCase(name: "no consent", reader: F.bob, outcome: .deny, rule: "no active consent grants HospitalBMSP/bob purpose TREAT for category lab"),
        EvaluatorCase(
            name: "organisation consent permits", reader: F.bob, consents: [F.toHospitalB], outcome: .permit,
            rule: "consent c-org grants HospitalBMSP/bob purpose TREAT for category lab"
        ),
        EvaluatorCase(name: "at period start", reader: F.bob, time: 1_000, consents: [F.toHospitalB], outcome: .permit, rule: "consent c-org"),
        EvaluatorCase(name: "before period start", reader: F.bob, time: 999, consents: [F.toHospitalB], outcome: .deny, rule: "no active consent"),
        EvaluatorCase(name: "at period end", reader: F.bob, time: 2_000, consents: [F.toHospitalB], outcome: .deny, rule: "no active consent"),
        EvaluatorCase(name: "after period end", reader: F.bob, time: 2_500, consents: [F.toHospitalB], outcome: .deny, rule: "no active consent"),
        EvaluatorCase(
            name: "open-ended consent", reader: F.bob, time: 9_999_999, consents: [F.consent("c-open", to: F.hospitalB, end: nil)],
            outcome: .permit, rule: "consent c-open"
        ),
        EvaluatorCase(
            name: "revoked consent", reader: F.bob, consents: [F.consent("c-rev", to: F.hospitalB, status: .revoked)], outcome: .deny,
            rule: "no active consent"
        ),
        // Purpose, scope, category.
        EvaluatorCase(
            name: "wrong purpose", reader: F.bob, consents: [F.consent("c-e", to: F.hospitalB, purposes: [.emergencyTreatment])],
            outcome: .deny, rule: "no active consent"
        ),
        EvaluatorCase(
            name: "treatment consent does not cover research", reader: F.bob, purpose: .research, consents: [F.toHospitalB],
            outcome: .deny, rule: "no active consent grants HospitalBMSP/bob purpose HRESCH"
        ),
        EvaluatorCase(name: "research consent does not cover treatment", reader: F.rosa, consents: [F.toPharmaResearch], outcome: .deny, rule: "no active consent"),
        EvaluatorCase(
            name: "research consent covers research", reader: F.rosa, purpose: .research, consents: [F.toPharmaResearch], outcome: .permit,
            rule: "consent c-study"
        ),
        EvaluatorCase(
            name: "category outside the consent", reader: F.bob, record: F.imagingRecord,
            consents: [F.consent("c-lab", to: F.hospitalB, categories: ["lab"])], outcome: .deny, rule: "for category imaging"
        ),
        EvaluatorCase(
            name: "category inside the consent", reader: F.bob, consents: [F.consent("c-lab", to: F.hospitalB, categories: ["lab"])],
            outcome: .permit, rule: "consent c-lab"
        ),
        // Provisions.
        EvaluatorCase(
            name: "deny inside permit: mental-health denied", reader: F.bob, record: F.mentalHealthRecord, consents: [F.allButMentalHealth],
            outcome: .deny, rule: "consent c-mh provision 1 denies category mental-health"
        ),
        EvaluatorCase(name: "deny inside permit: lab permitted", reader: F.bob, consents: [F.allButMentalHealth], outcome: .permit, rule: "consent c-mh grants"),
        EvaluatorCase(
            name: "nested permit inside deny: the excepted note", reader: F.bob, record: F.noteRecord, consents: [F.noNotesButOne],
            outcome: .permit, rule: "consent c-notes provision 1.1 permits record r-note"
        ),
        EvaluatorCase(
            name: "nested permit inside deny: another note", reader: F.bob, record: F.otherNoteRecord, consents: [F.noNotesButOne],
            outcome: .deny, rule: "consent c-notes provision 1 denies category note"
        ),
        EvaluatorCase(
            name: "a deny in one consent overrides a permit in another", reader: F.bob, record: F.mentalHealthRecord,
            consents: [F.toHospitalB, F.allButMentalHealth], outcome: .deny, rule: "consent c-mh provision 1"
        ),
        // Grantees.
        EvaluatorCase(name: "other organisation", reader: F.rosa, consents: [F.toHospitalB], outcome: .deny, rule: "no active consent grants PharmaMSP/rosa"),
        EvaluatorCase(
            name: "role grantee, that role", reader: F.bob,
            consents: [F.consent("c-role", to: Grantee(kind: .role, mspID: "HospitalBMSP", role: "clinician"))], outcome: .permit,
            rule: "consent c-role"
        ),
        EvaluatorCase(
            name: "role grantee, other role", reader: F.bea,
            consents: [F.consent("c-role", to: Grantee(kind: .role, mspID: "HospitalBMSP", role: "clinician"))], outcome: .deny,
            rule: "no active consent"
        ),
        EvaluatorCase(
            name: "identity grantee, that identity", reader: F.bob,
            consents: [F.consent("c-id", to: Grantee(kind: .identity, mspID: "HospitalBMSP", enrollmentID: "bob"))], outcome: .permit,
            rule: "consent c-id"
        ),
        EvaluatorCase(
            name: "identity grantee, other identity of the same organisation", reader: F.ben,
            consents: [F.consent("c-id", to: Grantee(kind: .identity, mspID: "HospitalBMSP", enrollmentID: "bob"))], outcome: .deny,
            rule: "no active consent"
        ),
        // Break-glass.
        EvaluatorCase(
            name: "break-glass with justification", reader: F.bob, purpose: .emergencyTreatment, justification: "unconscious in ER",
            outcome: .permit, rule: "break-glass: unconscious in ER", action: .recordBreakGlassGrant(justification: "unconscious in ER")
        ),
        EvaluatorCase(
            name: "break-glass overrides a consent's deny", reader: F.bob, record: F.mentalHealthRecord, purpose: .emergencyTreatment,
            justification: "overdose", consents: [F.allButMentalHealth], outcome: .permit, rule: "break-glass: overdose",
            action: .recordBreakGlassGrant(justification: "overdose")
        ),
        EvaluatorCase(
            name: "break-glass without justification", reader: F.bob, purpose: .emergencyTreatment, outcome: .deny,
            rule: "needs a justification"
        ),
        EvaluatorCase(
            name: "break-glass with a blank justification", reader: F.bob, purpose: .emergencyTreatment, justification: "  ",
            outcome: .deny, rule: "needs a justification"
        ),
        EvaluatorCase(
            name: "unexpired grant", reader: F.bob, purpose: .emergencyTreatment, grants: [F.grant(F.bob, expiresAt: 1_501)],
            outcome: .permit, rule: "break-glass grant for HospitalBMSP/bob valid until 1501",
            action: .notifyBreakGlass(F.grant(F.bob, expiresAt: 1_501))
        ),
        EvaluatorCase(
            name: "grant expiring now", reader: F.bob, purpose: .emergencyTreatment, grants: [F.grant(F.bob, expiresAt: 1_500)],
            outcome: .deny, rule: "needs a justification"
        ),
        EvaluatorCase(
            name: "another clinician's grant", reader: F.ben, purpose: .emergencyTreatment, grants: [F.grant(F.bob, expiresAt: 9_000)],
            outcome: .deny, rule: "needs a justification"
        ),
        EvaluatorCase(
            name: "grant does not cover plain treatment", reader: F.bob, grants: [F.grant(F.bob, expiresAt: 9_000)], outcome: .deny,
            rule: "no active consent"
        ),
        EvaluatorCase(
            name: "break-glass is for clinicians only", reader: F.bea, purpose: .emergencyTreatment, justification: "urgent",
            outcome: .deny, rule: "no active consent grants HospitalBMSP/bea purpose ETREAT"
        ),
    ]

    @Test("Evaluator table", arguments: cases)
    func decides(_ row: EvaluatorCase) {
        let query = AccessQuery(
            reader: row.reader, record: row.record, patient: F.patient, purpose: row.purpose, time: row.time,
            justification: row.justification
        )
        let evaluation = ConsentEvaluator.evaluate(query, consents: row.consents, grants: row.grants)
        #expect(evaluation.decision.outcome == row.outcome, "\(evaluation.decision.rule)")
        #expect(evaluation.decision.rule.contains(row.rule), "\(evaluation.decision.rule)")
        #expect(evaluation.action == row.action)
    }

    @Test("A consent's decision names it; decisions without a consent name none")
    func consentIDs() {
        let query = AccessQuery(reader: F.bob, record: F.mentalHealthRecord, patient: F.patient, purpose: .treatment, time: 1_500)
        #expect(ConsentEvaluator.evaluate(query, consents: [F.allButMentalHealth], grants: []).decision.consentID == "c-mh")
        #expect(ConsentEvaluator.evaluate(query, consents: [], grants: []).decision.consentID == nil)
    }

    @Test("The same question gets the same answer whatever the order of consents")
    func orderIndependentDeny() {
        let query = AccessQuery(reader: F.bob, record: F.mentalHealthRecord, patient: F.patient, purpose: .treatment, time: 1_500)
        let forward = ConsentEvaluator.evaluate(query, consents: [F.toHospitalB, F.allButMentalHealth], grants: [])
        let backward = ConsentEvaluator.evaluate(query, consents: [F.allButMentalHealth, F.toHospitalB], grants: [])
        #expect(forward == backward)
    }
}
