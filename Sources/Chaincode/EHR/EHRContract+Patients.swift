import Foundation
import Identity
import Schema
import SwiftASN1
import X509
public import EHRModel

/// `RegisterPatient` and `GetPatient`.
extension EHRContract {


    /// RegisterPatient {patientID, certificate} → `Patient`. A clinician or admin registers a
    /// patient whose certificate (role patient) was issued by the caller's own CA.
    static func registerPatient(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RegisterPatientRequest.self, stub)
        try requireRole([.clinician, .admin], stub, to: "register patients")
        try validatePatientID(request.patientID)
        let subject = try patientSubject(request.certificate, stub)
        guard try stub.getState(try EHRKey.make(EHRKey.patient, request.patientID)) == nil else {
            throw rejected(409, "patient ID \(request.patientID) is already registered")
        }
        let identityKey = try EHRKey.make(EHRKey.patientIdentity, subject.mspID, subject.enrollmentID)
        if let existing = try stub.getState(identityKey) {
            let existingID = String(decoding: existing, as: UTF8.self)
            throw rejected(409, "\(subject.enrollmentID)@\(subject.mspID) is already registered as patient \(existingID)")
        }
        let patient = Patient(
            patientID: request.patientID, mspID: subject.mspID, enrollmentID: subject.enrollmentID,
            certificate: request.certificate, registeredBy: stub.creator.enrollmentID, registeredAt: now(stub)
        )
        try store(patient, at: try EHRKey.make(EHRKey.patient, patient.patientID), stub)
        try stub.putState(identityKey, Data(patient.patientID.utf8))
        return try respond(patient)
    }

    /// GetPatient {patientID} → `Patient`; researchers may not look patients up.
    static func getPatient(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(PatientIDRequest.self, stub)
        guard stub.creator.role != .researcher else {
            throw rejected(403, "\(who(stub)) may not look up patients: researchers see de-identified study data only")
        }
        let patient = try existingPatient(request.patientID, stub)
        // Care staff need a patient's certificate to wrap record keys; patients see only themselves.
        guard [.clinician, .admin, .auditor].contains(stub.creator.role) || isPatient(patient, stub.creator) else {
            throw rejected(403, "\(who(stub)) may not look up patient \(patient.patientID): only the patient, care staff and auditors may")
        }
        return try respond(patient)
    }

    /// The organisation and enrollment ID a patient certificate names, after checking that it is a
    /// patient's certificate issued by the caller's CA: same issuer name and same issuing key
    /// identifier. The contract has no organisation roots, so it cannot verify the signature; a
    /// certificate that fails it is refused by `Membership` whenever its holder calls.
    static func patientSubject(_ base64: String, _ stub: ChaincodeStub) throws -> (mspID: String, enrollmentID: String) {
        guard let der = Data(base64Encoded: base64) else {
            throw rejected(400, "field \"certificate\" must be base64 DER")
        }
        let certificate: Certificate
        do { certificate = try Certificate(derEncoded: Array(der)) } catch {
            throw rejected(400, "field \"certificate\" is not a DER X.509 certificate: \(error)")
        }
        let subject = certificate.subject
        let roles = Membership.values(of: .RDNAttributeType.organizationalUnitName, in: subject)
        guard roles.contains("patient") else {
            throw rejected(400, "field \"certificate\" names role \(roles.joined(separator: ", ")), not patient")
        }
        guard let enrollmentID = Membership.values(of: .RDNAttributeType.commonName, in: subject).first, !enrollmentID.isEmpty else {
            throw rejected(400, "field \"certificate\" names no enrollment ID (CN)")
        }
        let mspID = Membership.values(of: .RDNAttributeType.organizationName, in: subject).first ?? ""
        let issuingKey = try? certificate.extensions.authorityKeyIdentifier?.keyIdentifier
        let callerIssuingKey = try? stub.creator.certificate.extensions.authorityKeyIdentifier?.keyIdentifier
        guard mspID == stub.creator.mspID, certificate.issuer == stub.creator.certificate.issuer, issuingKey != nil,
            issuingKey == callerIssuingKey
        else {
            throw rejected(
                403,
                "\(who(stub)) may not register \(enrollmentID)@\(mspID): a patient's certificate must be issued by the caller's organisation \(stub.creator.mspID) (same issuer and issuing key)"
            )
        }
        return (mspID, enrollmentID)
    }
}
