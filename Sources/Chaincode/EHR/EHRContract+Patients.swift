import Foundation
import Identity
import LedgerCore
import Schema
import SwiftASN1
import X509
public import EHRModel

/// `RegisterPatient`, `GetPatient` and `ListPatients`.
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

    /// ListPatients {} → `[Patient]` in patient ID order: the caller's own organisation's for
    /// clinicians and admins, every organisation's for auditors. Entries are pseudonymous and no
    /// record is read, so the listing is evaluated and not audited.
    static func listPatients(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        _ = try request(NoFieldsRequest.self, stub)
        try requireRole([.clinician, .admin, .auditor, .patient], stub, to: "list patients")
        switch stub.creator.role {
        case .auditor: return try respond(try loadAll(Patient.self, EHRKey.patient, [], stub))
        // A patient learns their own entry (their pseudonymous ID), bound to the certificate they call with.
        case .patient:
            return try respond(try patients(of: stub.creator.mspID, enrollmentID: stub.creator.enrollmentID, stub).filter { isPatient($0, stub.creator) })
        default: return try respond(try patients(of: stub.creator.mspID, stub))
        }
    }

    /// The patients whose home organisation is `mspID`, in patient ID order. The identity index
    /// is keyed by organisation, so the scan (and the read set) covers that organisation only.
    private static func patients(of mspID: String, enrollmentID: String? = nil, _ stub: ChaincodeStub) throws -> [Patient] {
        let index = try stub.getStateByPartialCompositeKey(objectType: EHRKey.patientIdentity, attributes: [mspID] + (enrollmentID.map { [$0] } ?? []))
        let patients = try index.entries.map { entry in
            let patientID = String(decoding: entry.value, as: UTF8.self)
            guard let patient = try load(Patient.self, at: try EHRKey.make(EHRKey.patient, patientID), stub) else {
                throw rejected(500, "the identity index of \(mspID) names patient \(patientID), which is not registered")
            }
            return patient
        }
        // The index is in enrollment ID order; patient IDs are ASCII, so `<` is key order.
        return patients.sorted { $0.patientID < $1.patientID }
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
