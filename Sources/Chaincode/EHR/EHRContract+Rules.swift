import Foundation
import Identity
import Schema
internal import Wire
internal import EHRModel

/// Validation of identifiers and digests, and who the caller is in EHR terms.
extension EHRContract {
    /// A patient ID must look pseudonymous: 1–64 of `A–Z a–z 0–9 - _`.
    public static func validatePatientID(_ value: String, field: String = "patientID") throws {
        guard (1...64).contains(value.utf8.count), value.utf8.allSatisfy(isIdentifierByte) else {
            throw rejected(400, "field \"\(field)\" must be 1–64 characters of A–Z, a–z, 0–9, '-' and '_'; got \(QuotedInput.quote(value))")
        }
    }

    /// Record, study and consent IDs: 1–128 of `A–Z a–z 0–9 - _ . :`.
    public static func validateIdentifier(_ value: String, field: String) throws {
        let allowed = value.utf8.allSatisfy { isIdentifierByte($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
        guard (1...128).contains(value.utf8.count), allowed else {
            throw rejected(400, "field \"\(field)\" must be 1–128 characters of A–Z, a–z, 0–9, '-', '_', '.' and ':'; got \(QuotedInput.quote(value))")
        }
    }

    static func validateSHA256Hex(_ value: String, field: String) throws {
        let isHex = value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
        guard value.utf8.count == 64, isHex else {
            throw rejected(400, "field \"\(field)\" must be a SHA-256 digest: 64 hexadecimal digits")
        }
    }

    static func validateNonEmpty(_ value: String, field: String) throws {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw rejected(400, "field \"\(field)\" must not be empty")
        }
    }

    static func validatePeriod(start: Int64, end: Int64?) throws {
        if let end, end <= start {
            throw rejected(400, "field \"periodEnd\" (\(end)) must be after periodStart (\(start))")
        }
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// The proposal's timestamp in Unix seconds: the contract's only clock.
    static func now(_ stub: ChaincodeStub) -> Int64 {
        stub.timestamp.seconds
    }

    /// The caller as the evaluator and audit events see it.
    static func reader(_ stub: ChaincodeStub) -> Reader {
        Reader(mspID: stub.creator.mspID, enrollmentID: stub.creator.enrollmentID, role: stub.creator.role.certificateName ?? "none")
    }

    /// "clinician alice@HospitalAMSP", for messages.
    static func who(_ stub: ChaincodeStub) -> String {
        "\(stub.creator.role.certificateName ?? "caller") \(stub.creator.enrollmentID)@\(stub.creator.mspID)"
    }

    static func isPatient(_ patient: Patient, _ identity: Identity) -> Bool {
        identity.role == .patient && identity.mspID == patient.mspID && identity.enrollmentID == patient.enrollmentID
    }

    /// 403 unless the caller has one of `roles`.
    static func requireRole(_ roles: Set<Medledger_V1_Role>, _ stub: ChaincodeStub, to action: String) throws {
        guard roles.contains(stub.creator.role) else {
            let names = roles.compactMap(\.certificateName).sorted().joined(separator: " or ")
            throw rejected(403, "\(who(stub)) may not \(action): only a \(names) may")
        }
    }

    /// 403 unless the caller is the patient.
    static func requirePatient(_ patient: Patient, _ stub: ChaincodeStub, to action: String) throws {
        guard isPatient(patient, stub.creator) else {
            throw rejected(403, "only patient \(patient.patientID) may \(action); the caller is \(who(stub))")
        }
    }
}
