internal import Chaincode
internal import EHRModel
internal import ContentStore
internal import Crypto
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import SwiftASN1
internal import X509
internal import Wire
internal import RecordCrypto

/// Records for clients that cannot encrypt or decrypt (plain generated clients): the node of the
/// caller's own organisation does it for them, under the same ledger decisions as `DepositKeys`
/// and `ReleaseKey`. Plaintext exists only in memory.
extension RecordsService {
    func sealContent(
        request: RPCAsyncSequence<Medledger_V1_SealContentRequest, any Error>, context: ServerContext
    ) async throws -> Medledger_V1_SealContentResponse {
        let caller = try CallerIdentity.required()
        var messages = request.makeAsyncIterator()
        guard case .header(let header)? = try await messages.next()?.part else {
            throw RecordAccessError.headerMissing
        }
        let ledger = try await StatusMapping.mapped { try node.channel(header.channelID, for: caller) }
        let patient = try LedgerPermit.currentPatient(header.patientID, on: ledger.peer)
        guard let certificate = Data(base64Encoded: patient.certificate) else {
            throw RecordAccessError.patientCertificateUnreadable(patientID: patient.patientID)
        }
        let dataKey = SealedStream.newDataKey()
        var digest: SHA256Digest?
        let stored = try await ContentErrorStatus.mapAsync {
            try await content.addStreaming(pin: true) { sink in
                var sealer = SealingWriter(key: dataKey, format: try SealedStream())
                var importer = FileImporter(options: try ImportOptions(cidVersion: 1), sink: sink)
                while let message = try await messages.next() {
                    guard case .chunk(let plaintext)? = message.part else {
                        throw RecordAccessError.secondHeader
                    }
                    try importer.write(try sealer.write(plaintext))
                }
                let (tail, hash) = try sealer.finish()
                try importer.write(tail)
                digest = hash
                return try importer.finish()
            }
        }
        let patientKey: P256.KeyAgreement.PublicKey
        do { patientKey = try Certificate(derEncoded: Array(certificate)).keyAgreementKey } catch {
            throw RecordAccessError.patientKeyUnusable(patientID: patient.patientID, reason: "\(error)")
        }
        let homeKey = try await homeCustodianKey(of: patient, for: caller, on: ledger).map {
            try KeyWrap.wrap(dataKey, to: $0, record: stored.cid)
        }
        let digests = try await deposit(
            cid: stored.cid, patientKey: try KeyWrap.wrap(dataKey, to: patientKey, record: stored.cid),
            organizationKey: try KeyWrap.wrap(dataKey, to: try custody.agreementKey(of: caller.mspID), record: stored.cid),
            homeKey: homeKey ?? Data(), patient: patient, depositor: caller, on: ledger)
        var response = Medledger_V1_SealContentResponse()
        response.cid = stored.cid.description
        response.plaintextSha256 = Hex.encode(digest.map(Array.init) ?? [])
        response.patientKeyDigest = digests.patient
        response.organizationKeyDigest = digests.organization
        response.homeOrganizationKeyDigest = digests.home
        return response
    }

    func readContent(
        request: Medledger_V1_ReleaseKeyRequest, response: RPCWriter<Medledger_V1_ReadContentResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        guard let servingPeer = node.peers.first(where: { $0.mspID == caller.mspID }) else {
            throw RecordAccessError.notServingOrganization(mspID: caller.mspID)
        }
        let ledger = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let release = try KeyRelease.decide(request.transactionID, recordID: request.recordID, for: caller, on: ledger.peer)
        let (record, cid) = (release.record, release.cid)
        let key = try await keys.dataKey(release.keyRequest, as: servingPeer, on: ledger.context)
        try await keys.ensureContent(release.keyRequest, on: ledger.context)
        var hasher = SHA256()
        try await ContentErrorStatus.mapAsync {
            try await content.catSealed(cid, key: key) { plaintext in
                hasher.update(data: plaintext)
                var message = Medledger_V1_ReadContentResponse()
                message.chunk = plaintext
                try await response.write(message)
            }
        }
        let digest = Hex.encode(hasher.finalize())
        guard digest == record.plaintextSHA256 else {
            throw RecordAccessError.contentMismatch(recordID: record.recordID)
        }
    }

    /// The key of `patient`'s home organisation's custodian, when that is not `caller`'s
    /// organisation: served here, or named by that organisation's node.
    private func homeCustodianKey(of patient: Patient, for caller: Identity, on ledger: ChannelLedger) async throws
        -> P256.KeyAgreement.PublicKey?
    {
        guard patient.mspID != caller.mspID else { return nil }
        guard let network = keys.network, !custody.serves(patient.mspID) else {
            return try custody.agreementKey(of: patient.mspID)
        }
        let certificate = try await network.custodianCertificate(of: patient.mspID, on: ledger.context)
        return try Certificate(derEncoded: Array(certificate)).keyAgreementKey
    }
}
