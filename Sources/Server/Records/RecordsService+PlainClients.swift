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
        let channel = try await StatusMapping.mapped { try node.channel(header.channelID, for: caller).peer }
        let patient = try LedgerPermit.currentPatient(header.patientID, on: channel)
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
        let digests = try custody.deposit(
            cid: stored.cid, patientKey: try KeyWrap.wrap(dataKey, to: patientKey, record: stored.cid),
            organizationKey: try KeyWrap.wrap(dataKey, to: try custody.agreementKey(of: caller.mspID), record: stored.cid),
            depositor: caller)
        var response = Medledger_V1_SealContentResponse()
        response.cid = stored.cid.description
        response.plaintextSha256 = Hex.encode(digest.map(Array.init) ?? [])
        response.patientKeyDigest = digests.patient
        response.organizationKeyDigest = digests.organization
        return response
    }

    func readContent(
        request: Medledger_V1_ReleaseKeyRequest, response: RPCWriter<Medledger_V1_ReadContentResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        guard node.peers.contains(where: { $0.mspID == caller.mspID }) else {
            throw RecordAccessError.notServingOrganization(mspID: caller.mspID)
        }
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller).peer }
        let (record, cid) = try permittedRecord(request.transactionID, for: caller, on: channel)
        let key = try custody.dataKey(cid: cid, authorMSP: record.authorMSP, digest: record.keyDigests["author"] ?? "")
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
}
