public import EHRModel
public import ContentStore
internal import Crypto
public import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import SwiftASN1
internal import X509
internal import RecordCrypto

/// What a clinician knows of a new record before it is stored.
public struct RecordDraft: Sendable, Encodable {
    public var recordID: String
    public var patientID: String
    /// The FHIR resource type, e.g. "Observation".
    public var resourceType: String
    /// "lab", "imaging", "note", "prescription", "mental-health", …
    public var category: String
    /// The record this one corrects, if any.
    public var previousRecordID: String?

    public init(recordID: String, patientID: String, resourceType: String, category: String, previousRecordID: String? = nil) {
        self.recordID = recordID
        self.patientID = patientID
        self.resourceType = resourceType
        self.category = category
        self.previousRecordID = previousRecordID
    }
}

/// The outcome of opening a record: the ledger's decision, and when it permits, the record and
/// its decrypted, verified content.
public struct OpenedRecord: Sendable {
    public var decision: Decision
    /// The `OpenRecord` transaction: the audit event of this read.
    public var txID: String
    public var record: RecordReference?
    public var plaintext: Data?
    /// For a break-glass read: when the emergency access it used ends (Unix seconds).
    public var breakGlassExpiresAt: Int64?
}

extension HealthRecords {
    /// Registers `patientID` for the patient whose certificate is `certificateDER` (hospital staff).
    @discardableResult
    public func registerPatient(_ patientID: String, certificateDER: Data) async throws -> Patient {
        try await submit("RegisterPatient", RegisterPatientRequest(patientID: patientID, certificate: certificateDER.base64EncodedString())).response
    }

    /// The patient registered as `patientID`.
    public func patient(_ patientID: String) async throws -> Patient {
        try await evaluate("GetPatient", PatientIDRequest(patientID: patientID))
    }

    /// The registered patients the caller may list, in patient ID order: their own organisation's
    /// for a clinician or admin, every organisation's for an auditor; anyone else is refused.
    /// Evaluated (`ListPatients`): it reads pseudonymous entries only, so nothing is audited.
    public func patients() async throws -> [Patient] {
        try await evaluate("ListPatients", NoFieldsRequest())
    }

    /// The records of `patientID` the caller may list.
    public func listRecords(of patientID: String) async throws -> [RecordReference] {
        try await evaluate("ListRecords", PatientIDRequest(patientID: patientID))
    }

    /// Encrypts `plaintext` with a fresh data key, stores the ciphertext, deposits the key wrapped
    /// to the patient, to the caller's organisation and (when it is another) to the patient's home
    /// organisation, whose node then holds a replica of the content, and submits `AddRecord`:
    /// `uploadContent`, `depositKeys` and `commitRecord` in turn. If the client stops between
    /// them, the node collects what the upload left once its upload lease runs out.
    public func addRecord(_ draft: RecordDraft, plaintext: Data) async throws -> RecordReference {
        let upload = try await uploadContent(plaintext)
        return try await commitRecord(draft, try await depositKeys(for: upload, patientID: draft.patientID))
    }

    /// Step one of an upload: seals `plaintext` under a fresh data key and stores the ciphertext,
    /// pinned provisionally (under the node's upload lease).
    public func uploadContent(_ plaintext: Data) async throws -> SealedUpload {
        let dataKey = SealedStream.newDataKey()
        var sealer = SealingWriter(key: dataKey, format: try SealedStream())
        var sealed = try sealer.write(plaintext)
        let (tail, digest) = try sealer.finish()
        sealed += tail
        return SealedUpload(cid: try CID(try await store(sealed)), dataKey: dataKey, plaintextSHA256: Hex.encode(digest))
    }

    /// Step two: deposits `upload`'s data key wrapped to patient `patientID`, to the caller's
    /// organisation and (when it is another) to the patient's home organisation.
    public func depositKeys(for upload: SealedUpload, patientID: String) async throws -> DepositedUpload {
        let patient = try await patient(patientID)
        guard let patientCertificate = Data(base64Encoded: patient.certificate) else {
            throw HealthRecordsError.unusableKey("patient '\(patientID)' has no readable certificate on the ledger")
        }
        let custodian = try await records.getCustodian(Medledger_V1_GetCustodianRequest(), options: options)
        var home = Medledger_V1_GetCustodianRequest()
        home.mspID = patient.mspID
        let homeCustodian = try await records.getCustodian(home, options: options)
        let cid = upload.cid
        var deposit = Medledger_V1_DepositKeysRequest()
        deposit.channelID = ledger.channel
        deposit.cid = cid.description
        deposit.patientKey = try KeyWrap.wrap(upload.dataKey, to: try Self.agreementKey(certificateDER: patientCertificate), record: cid)
        deposit.organizationKey = try KeyWrap.wrap(upload.dataKey, to: try Self.agreementKey(certificateDER: custodian.certificate), record: cid)
        deposit.patientID = patientID
        if homeCustodian.certificate != custodian.certificate {
            deposit.homeOrganizationKey = try KeyWrap.wrap(
                upload.dataKey, to: try Self.agreementKey(certificateDER: homeCustodian.certificate), record: cid)
        }
        let receipt = try await records.depositKeys(deposit, options: options)
        var keyDigests = [KeyCopy.patient: receipt.patientKeyDigest, KeyCopy.author: receipt.organizationKeyDigest]
        if !receipt.homeOrganizationKeyDigest.isEmpty { keyDigests[KeyCopy.home] = receipt.homeOrganizationKeyDigest }
        return DepositedUpload(upload: upload, keyDigests: keyDigests)
    }

    /// Step three: submits `AddRecord` for `deposited`, which makes the upload's content and keys
    /// the record's for good.
    public func commitRecord(_ draft: RecordDraft, _ deposited: DepositedUpload) async throws -> RecordReference {
        let request = AddRecordRequest(
            recordID: draft.recordID, patientID: draft.patientID, cid: deposited.upload.cid.description,
            plaintextSHA256: deposited.upload.plaintextSHA256, resourceType: draft.resourceType,
            category: draft.category, keyDigests: deposited.keyDigests,
            previousRecordID: draft.previousRecordID)
        return try await submit("AddRecord", request).response
    }

    /// Submits `OpenRecord` (the ledger decides and audits, denials included); on a permit,
    /// fetches the released key and the ciphertext, decrypts, and checks the plaintext's SHA-256
    /// against the ledger.
    public func openRecord(_ recordID: String, purpose: String, justification: String? = nil) async throws -> OpenedRecord {
        let (result, txID) = try await submit(
            "OpenRecord", OpenRecordRequest(recordID: recordID, purpose: try Self.purpose(purpose), justification: justification),
            as: OpenRecordResult.self)
        guard result.decision.outcome == .permit, let record = result.record else {
            return OpenedRecord(decision: result.decision, txID: txID, record: nil, plaintext: nil, breakGlassExpiresAt: nil)
        }
        var release = Medledger_V1_ReleaseKeyRequest()
        release.channelID = ledger.channel
        release.transactionID = txID
        let released = try await records.releaseKey(release, options: options)
        let cid = try CID(released.cid)
        let ownKey = try P256.KeyAgreement.PrivateKey(rawRepresentation: signer.key.rawRepresentation)
        let dataKey = try KeyWrap.unwrap(released.wrappedKey, with: ownKey, record: cid)
        let sealed = try await fetch(cid)
        var plaintext = Data()
        try await SealedStreamReader(key: dataKey, sealedLength: UInt64(sealed.count)) { offset, length in
            sealed[Int(offset)..<Int(min(UInt64(sealed.count), offset + length))]
        }.plaintext { plaintext.append($0) }
        let actual = Hex.encode(SHA256.hash(data: plaintext))
        guard actual == record.plaintextSHA256 else {
            throw HealthRecordsError.integrityMismatch(recordID: recordID, expected: record.plaintextSHA256, actual: actual)
        }
        return OpenedRecord(
            decision: result.decision, txID: txID, record: record, plaintext: plaintext, breakGlassExpiresAt: result.breakGlassExpiresAt)
    }

    /// Stores sealed bytes in the content store (CIDv1, raw leaves, pinned); returns the CID.
    private func store(_ sealed: Data) async throws -> String {
        let response = try await content.add(options: options) { writer in
            var addOptions = Medledger_V1_AddOptions()
            addOptions.cidVersion = 1
            addOptions.pin = true
            addOptions.provisional = true
            var first = Medledger_V1_AddRequest()
            first.part = .options(addOptions)
            try await writer.write(first)
            var start = sealed.startIndex
            while start < sealed.endIndex {
                let end = min(start + 256 * 1024, sealed.endIndex)
                var message = Medledger_V1_AddRequest()
                message.part = .chunk(sealed[start..<end])
                try await writer.write(message)
                start = end
            }
        }
        return response.cid
    }

    private func fetch(_ cid: CID) async throws -> Data {
        var request = Medledger_V1_CatRequest()
        request.cid = cid.description
        return try await content.cat(request: ClientRequest(message: request), options: options) { response in
            var bytes = Data()
            for try await message in response.messages { bytes.append(message.chunk) }
            return bytes
        }
    }

    /// The key-agreement form of the P-256 key in a DER certificate, for HPKE wrapping.
    static func agreementKey(certificateDER: Data) throws -> P256.KeyAgreement.PublicKey {
        do { return try Certificate(derEncoded: Array(certificateDER)).keyAgreementKey } catch {
            throw HealthRecordsError.unusableKey("the certificate cannot be used for key wrapping: \(error)")
        }
    }
}


/// A record's content sealed and stored (step one of an upload): its CID, and the data key that
/// only this client holds until it deposits it.
public struct SealedUpload: Sendable {
    public let cid: CID
    let dataKey: SymmetricKey
    let plaintextSHA256: String
}

/// An upload whose keys are deposited (step two): ready for `commitRecord`.
public struct DepositedUpload: Sendable {
    public let upload: SealedUpload
    let keyDigests: [String: String]
}
