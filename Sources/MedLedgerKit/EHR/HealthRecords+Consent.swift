public import EHRModel
internal import Foundation

/// A consent a patient is about to grant (FHIR R4 `Consent` shaped), with the codes as text the
/// way a command line or a form gives them; `grantConsent` checks them before anything is sent.
public struct ConsentDraft: Sendable {
    public var patientID: String
    /// "treatment" or "research".
    public var scope: String
    public var grantee: Grantee
    /// Among "TREAT", "ETREAT", "HRESCH".
    public var purposes: [String]
    /// Record categories; empty means all.
    public var categories: [String]
    public var periodStart: Int64?
    public var periodEnd: Int64?
    /// Nested exceptions, e.g. a deny of "mental-health".
    public var provisions: [Provision]?

    public init(
        patientID: String, scope: String = "treatment", grantee: Grantee, purposes: [String] = ["TREAT"],
        categories: [String] = [], periodStart: Int64? = nil, periodEnd: Int64? = nil, provisions: [Provision]? = nil
    ) {
        self.patientID = patientID
        self.scope = scope
        self.grantee = grantee
        self.purposes = purposes
        self.categories = categories
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.provisions = provisions
    }
}

extension HealthRecords {
    /// Grants a consent (only the patient's own identity may).
    public func grantConsent(_ draft: ConsentDraft) async throws -> Consent {
        guard let scope = ConsentScope(rawValue: draft.scope) else {
            throw HealthRecordsError.invalidArgument(
                "scope '\(draft.scope)' is not one of \(ConsentScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let request = GrantConsentRequest(
            patientID: draft.patientID, scope: scope, grantee: draft.grantee, purposes: try draft.purposes.map(Self.purpose),
            categories: draft.categories, periodStart: draft.periodStart, periodEnd: draft.periodEnd, provisions: draft.provisions)
        return try await submit("GrantConsent", request).response
    }

    /// Revokes a consent; reads decided from now on no longer see it.
    @discardableResult
    public func revokeConsent(_ consentID: String, of patientID: String) async throws -> Consent {
        try await submit("RevokeConsent", RevokeConsentRequest(patientID: patientID, consentID: consentID)).response
    }

    /// The patient's consents, active and revoked.
    public func consents(of patientID: String) async throws -> [Consent] {
        try await evaluate("ListConsents", PatientIDRequest(patientID: patientID))
    }

    /// Who opened the patient's records, when, why, and with what outcome: every event, or the
    /// `limit` most recent.
    public func auditTrail(of patientID: String, last limit: Int? = nil) async throws -> [AuditEvent] {
        try await evaluate("ListAudit", ListAuditRequest(patientID: patientID, limit: limit))
    }
}
