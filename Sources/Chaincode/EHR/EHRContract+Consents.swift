import Identity
import Schema
public import EHRModel

/// `GrantConsent`, `RevokeConsent` and `ListConsents`.
extension EHRContract {


    /// GrantConsent {patientID, scope, grantee, purposes, categories, periodStart?, periodEnd?,
    /// provisions?} → `Consent` with ID "c-<txID>"; only the patient may grant.
    static func grantConsent(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(GrantConsentRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        try requirePatient(patient, stub, to: "grant consent to their records")
        try validate(request.grantee)
        try validatePurposes(request.purposes, scope: request.scope)
        let start = request.periodStart ?? now(stub)
        try validatePeriod(start: start, end: request.periodEnd)
        let consent = Consent(
            consentID: "c-" + stub.txID, patientID: patient.patientID, scope: request.scope, grantee: request.grantee,
            purposes: request.purposes, categories: request.categories, periodStart: start, periodEnd: request.periodEnd,
            provisions: request.provisions ?? [], grantedAt: now(stub)
        )
        try store(consent, at: try EHRKey.make(EHRKey.consent, patient.patientID, consent.consentID), stub)
        return try respond(consent)
    }

    /// RevokeConsent {patientID, consentID} → the revoked `Consent`; only the patient may revoke.
    /// Decisions already taken under it stay on the ledger.
    static func revokeConsent(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RevokeConsentRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        try requirePatient(patient, stub, to: "revoke consent to their records")
        try validateIdentifier(request.consentID, field: "consentID")
        let consent = try revoke(consentID: request.consentID, of: patient.patientID, stub)
        return try respond(consent)
    }

    /// Marks the consent revoked now; 404 if it does not exist, 409 if it is already revoked.
    static func revoke(consentID: String, of patientID: String, _ stub: ChaincodeStub) throws -> Consent {
        let key = try EHRKey.make(EHRKey.consent, patientID, consentID)
        guard var consent = try load(Consent.self, at: key, stub) else {
            throw rejected(404, "patient \(patientID) has no consent \(consentID)")
        }
        guard consent.status == .active else {
            throw rejected(409, "consent \(consentID) was already revoked at \(consent.revokedAt ?? 0)")
        }
        consent.status = .revoked
        consent.revokedAt = now(stub)
        try store(consent, at: key, stub)
        return consent
    }

    /// ListConsents {patientID} → `[Consent]` (revoked ones too) for the patient or an auditor.
    static func listConsents(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(PatientIDRequest.self, stub)
        let patient = try existingPatient(request.patientID, stub)
        guard isPatient(patient, stub.creator) || stub.creator.role == .auditor else {
            throw rejected(403, "\(who(stub)) may not list the consents of patient \(patient.patientID): only the patient and auditors may")
        }
        return try respond(try consents(of: patient.patientID, stub))
    }

    static func validate(_ grantee: Grantee) throws {
        try validateNonEmpty(grantee.mspID, field: "grantee.mspID")
        switch grantee.kind {
        case .organization:
            break
        case .role:
            guard let role = grantee.role, Medledger_V1_Role(certificateName: role) != nil else {
                let names = Medledger_V1_Role.certifiable.compactMap(\.certificateName).joined(separator: ", ")
                throw rejected(400, "field \"grantee.role\" must be one of \(names) for a role grantee")
            }
        case .identity:
            try validateNonEmpty(grantee.enrollmentID ?? "", field: "grantee.enrollmentID")
        }
    }

    static func validatePurposes(_ purposes: [Purpose], scope: ConsentScope) throws {
        guard !purposes.isEmpty else { throw rejected(400, "field \"purposes\" must not be empty") }
        if let wrong = purposes.first(where: { !scope.purposes.contains($0) }) {
            let allowed = scope.purposes.map(\.rawValue).sorted().joined(separator: ", ")
            throw rejected(400, "field \"purposes\": \(wrong.rawValue) does not fit scope \(scope.rawValue) (allowed: \(allowed))")
        }
    }
}
