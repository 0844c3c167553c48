import Foundation
public import EHRModel

/// One access question: may `reader` read `record` of `patient` for `purpose` at `time`?
public struct AccessQuery: Sendable, Equatable {
    public var reader: Reader
    public var record: RecordReference
    public var patient: Patient
    public var purpose: Purpose
    /// Unix seconds: the transaction's timestamp, never a clock.
    public var time: Int64
    /// Why an emergency read is needed; a non-empty one lets a clinician break the glass.
    public var justification: String?

    public init(reader: Reader, record: RecordReference, patient: Patient, purpose: Purpose, time: Int64, justification: String? = nil) {
        self.reader = reader
        self.record = record
        self.patient = patient
        self.purpose = purpose
        self.time = time
        self.justification = justification
    }
}

/// Decides access to one record from the patient's consents and break-glass grants: a pure
/// function of its inputs (no clock, no state), so every peer reaches the same decision.
///
/// Rules, first that applies wins: an erased record is denied; the patient may read their own
/// records; clinicians and admins of the authoring organisation may read for (emergency)
/// treatment; a clinician may break the glass (ETREAT) with an unexpired grant or a justification;
/// otherwise the applicable consents decide, a deny overriding any permit; with none, deny.
public enum ConsentEvaluator {
    /// What the caller must do besides recording the decision.
    public enum Action: Sendable, Equatable {
        case none
        /// A justified break-glass read was permitted: record a grant for the reader (and notify).
        case recordBreakGlassGrant(justification: String)
        /// A read under an unexpired break-glass grant was permitted: notify again, no new grant.
        case notifyBreakGlass(BreakGlassGrant)
    }

    /// A decision and the action it asks for.
    public struct Evaluation: Sendable, Equatable {
        public var decision: Decision
        public var action: Action

        public init(decision: Decision, action: Action = .none) {
            self.decision = decision
            self.action = action
        }
    }

    /// Decides `query` given the patient's `consents` (any status) and break-glass `grants` (any
    /// patient or reader; only the reader's unexpired grant for this patient counts).
    public static func evaluate(_ query: AccessQuery, consents: [Consent], grants: [BreakGlassGrant]) -> Evaluation {
        let reader = query.reader
        let record = query.record
        if record.erased {
            return deny("record \(record.recordID) is erased; erased records are denied to everyone")
        }
        if reader.role == "patient", reader.mspID == query.patient.mspID,
            reader.enrollmentID == query.patient.enrollmentID, record.patientID == query.patient.patientID
        {
            return permit("patient reads own record")
        }
        if reader.mspID == record.authorMSP, ["clinician", "admin"].contains(reader.role),
            [.treatment, .emergencyTreatment].contains(query.purpose)
        {
            return permit("authoring organisation \(record.authorMSP): \(reader.role) \(reader.enrollmentID) reads for \(query.purpose.rawValue)")
        }
        if query.purpose == .emergencyTreatment, reader.role == "clinician" {
            return breakGlass(query, grants: grants)
        }
        return ConsentMatching.decide(query, consents: consents.filter { $0.patientID == record.patientID })
    }

    /// Emergency treatment by a clinician outside the authoring organisation: an unexpired grant
    /// for this patient and reader, or a justification (which asks for a new grant), or deny.
    private static func breakGlass(_ query: AccessQuery, grants: [BreakGlassGrant]) -> Evaluation {
        let reader = query.reader
        let grant = grants.first { grant in
            grant.patientID == query.patient.patientID && grant.mspID == reader.mspID
                && grant.enrollmentID == reader.enrollmentID && grant.grantedAt <= query.time && query.time < grant.expiresAt
        }
        if let grant {
            let decision = Decision(
                outcome: .permit, rule: "break-glass grant for \(reader.mspID)/\(reader.enrollmentID) valid until \(grant.expiresAt): \(grant.justification)")
            return Evaluation(decision: decision, action: .notifyBreakGlass(grant))
        }
        if let justification = query.justification?.trimmingCharacters(in: .whitespacesAndNewlines), !justification.isEmpty {
            let decision = Decision(outcome: .permit, rule: "break-glass: \(justification)")
            return Evaluation(decision: decision, action: .recordBreakGlassGrant(justification: justification))
        }
        return deny(
            "break-glass (ETREAT) by \(reader.mspID)/\(reader.enrollmentID) needs a justification: no unexpired grant for patient \(query.patient.patientID)"
        )
    }

    static func permit(_ rule: String, consentID: String? = nil) -> Evaluation {
        Evaluation(decision: Decision(outcome: .permit, rule: rule, consentID: consentID), action: .none)
    }

    static func deny(_ rule: String, consentID: String? = nil) -> Evaluation {
        Evaluation(decision: Decision(outcome: .deny, rule: rule, consentID: consentID), action: .none)
    }
}
