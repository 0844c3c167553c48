internal import Chaincode
public import ContentStore
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import Crypto
internal import X509
internal import SwiftASN1

/// The `medledger.v1.Records` gRPC service: custody of record data keys (`KeyCustody`), with every
/// release and every erasure decided by the ledger's `ehr` contract, never by this service.
///
/// A key is released only for the caller's own committed `OpenRecord` transaction: VALID, less
/// less than `LedgerPermit.window` old, with the contract's decision `permit`, for a record the ledger does
/// not (now) mark erased.
struct RecordsService: Medledger_V1_Records.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Records"

    let node: LedgerNode
    let content: ContentStore
    let custody: KeyCustody

    func getCustodian(request: Medledger_V1_GetCustodianRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCustodianResponse
    {
        let mspID = request.mspID.isEmpty ? try CallerIdentity.required().mspID : request.mspID
        var response = Medledger_V1_GetCustodianResponse()
        response.certificate = try custody.certificate(of: mspID)
        return response
    }

    func depositKeys(request: Medledger_V1_DepositKeysRequest, context: ServerContext) async throws
        -> Medledger_V1_DepositKeysResponse
    {
        let caller = try CallerIdentity.required()
        _ = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        let digests = try custody.deposit(cid: cid, patientKey: request.patientKey, organizationKey: request.organizationKey, depositor: caller)
        var response = Medledger_V1_DepositKeysResponse()
        response.patientKeyDigest = digests.patient
        response.organizationKeyDigest = digests.organization
        return response
    }

    func releaseKey(request: Medledger_V1_ReleaseKeyRequest, context: ServerContext) async throws
        -> Medledger_V1_ReleaseKeyResponse
    {
        let caller = try CallerIdentity.required()
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let (record, cid) = try permittedRecord(request.transactionID, for: caller, on: channel)
        var response = Medledger_V1_ReleaseKeyResponse()
        response.recordID = record.recordID
        response.cid = record.cid
        response.plaintextSha256 = record.plaintextSHA256
        response.wrappedKey = try custody.release(
            cid: cid, authorMSP: record.authorMSP, digest: record.keyDigests["author"] ?? "", to: caller)
        return response
    }

    func sealContent(
        request: RPCAsyncSequence<Medledger_V1_SealContentRequest, any Error>, context: ServerContext
    ) async throws -> Medledger_V1_SealContentResponse {
        let caller = try CallerIdentity.required()
        var messages = request.makeAsyncIterator()
        guard case .header(let header)? = try await messages.next()?.part else {
            throw RPCError(code: .invalidArgument, message: "the first SealContent message must be the header (channel_id, patient_id)")
        }
        let channel = try await StatusMapping.mapped { try node.channel(header.channelID, for: caller) }
        let patient = try LedgerPermit.currentPatient(header.patientID, on: channel)
        guard let certificate = Data(base64Encoded: patient.certificate) else {
            throw RPCError(code: .failedPrecondition, message: "patient '\(patient.patientID)' has no readable certificate on the ledger")
        }
        let dataKey = SealedStream.newDataKey()
        var digest: SHA256Digest?
        let stored = try await ContentErrorStatus.mapAsync {
            try await content.addStreaming(pin: true) { sink in
                var sealer = SealingWriter(key: dataKey, format: try SealedStream())
                var importer = FileImporter(options: try ImportOptions(cidVersion: 1), sink: sink)
                while let message = try await messages.next() {
                    guard case .chunk(let plaintext)? = message.part else {
                        throw RPCError(code: .invalidArgument, message: "only the first SealContent message may be a header")
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
            throw RPCError(code: .failedPrecondition, message: "the certificate of patient '\(patient.patientID)' cannot be used for key wrapping: \(error)")
        }
        let digests = try custody.deposit(
            cid: stored.cid, patientKey: try KeyWrap.wrap(dataKey, to: patientKey, record: stored.cid),
            organizationKey: try KeyWrap.wrap(dataKey, to: try custody.agreementKey(of: caller.mspID), record: stored.cid),
            depositor: caller)
        var response = Medledger_V1_SealContentResponse()
        response.cid = stored.cid.description
        response.plaintextSha256 = (digest.map { Data($0) } ?? Data()).map { String(format: "%02x", $0) }.joined()
        response.patientKeyDigest = digests.patient
        response.organizationKeyDigest = digests.organization
        return response
    }

    func readContent(
        request: Medledger_V1_ReleaseKeyRequest, response: RPCWriter<Medledger_V1_ReadContentResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        guard node.peers.contains(where: { $0.mspID == caller.mspID }) else {
            throw RPCError(code: .failedPrecondition, message: "this node does not serve \(caller.mspID); ask your own organisation's node to decrypt, or use ReleaseKey")
        }
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
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
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard digest == record.plaintextSHA256 else {
            throw RPCError(code: .dataLoss, message: "record '\(record.recordID)' does not match the SHA-256 on the ledger")
        }
    }

    func shredKeys(request: Medledger_V1_ShredKeysRequest, context: ServerContext) async throws
        -> Medledger_V1_ShredKeysResponse
    {
        let caller = try CallerIdentity.required()
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let record = try LedgerPermit.currentRecord(request.recordID, on: channel)
        guard record.erased else {
            throw RPCError(code: .failedPrecondition, message: "record '\(record.recordID)' is not erased on the ledger; erasure needs RequestErasure and ApproveErasure first")
        }
        let cid = try ContentErrorStatus.map { try CID(record.cid) }
        let keysDeleted = try custody.keys.shred(record: cid)
        try? content.unpin(cid, recursive: true)
        let collected = try content.collectGarbage()
        var response = Medledger_V1_ShredKeysResponse()
        response.keysDeleted = UInt32(keysDeleted)
        response.blocksRemoved = UInt32(collected.removed.count)
        return response
    }
}

extension RecordsService {
    /// The record a committed `OpenRecord` of `caller` permits, if the ledger still does.
    private func permittedRecord(_ txID: String, for caller: Identity, on channel: ChannelLedger) throws -> (RecordReference, CID) {
        let committed = try LedgerPermit.committedCall(txID, of: "OpenRecord", by: caller, on: channel)
        let outcome = try JSONDecoder().decode(OpenRecordResult.self, from: committed.response.payload)
        guard outcome.decision.outcome == .permit, let opened = outcome.record else {
            throw RPCError(code: .permissionDenied, message: "the ledger denied this read: \(outcome.decision.rule)")
        }
        let record = try LedgerPermit.currentRecord(opened.recordID, on: channel)
        guard !record.erased else {
            throw RPCError(code: .permissionDenied, message: "record '\(record.recordID)' has been erased")
        }
        guard try LedgerPermit.consentStillActive(outcome.decision, patientID: record.patientID, on: channel) else {
            throw RPCError(
                code: .permissionDenied,
                message: "consent \(outcome.decision.consentID ?? "") was revoked after this decision; open the record again")
        }
        return (record, try ContentErrorStatus.map { try CID(record.cid) })
    }
}

extension HostedService {
    /// The Records service of `node`, keeping keys under `keys`.
    static func records(node: LedgerNode, content: ContentStore, keys: WrappedKeyStore) -> HostedService {
        HostedService(
            name: RecordsService.serviceName,
            service: RecordsService(node: node, content: content, custody: KeyCustody(keys: keys, peers: node.peers)))
    }
}
