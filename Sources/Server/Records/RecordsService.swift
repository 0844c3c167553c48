internal import Chaincode
internal import ContentStore
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import Wire
internal import EHRModel

/// The `medledger.v1.Records` gRPC service: custody of record data keys (`KeyCustody`), with every
/// release and every erasure decided by the ledger's `ehr` contract, never by this service.
///
/// A key is released only for the caller's own committed `OpenRecord` transaction: VALID, less
/// than `LedgerPermit.window` old, with the contract's decision `permit`, for a record the ledger
/// does not (now) mark erased, under a consent (if one decided) not revoked since.
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
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller).peer }
        let (record, cid) = try permittedRecord(request.transactionID, for: caller, on: channel)
        var response = Medledger_V1_ReleaseKeyResponse()
        response.recordID = record.recordID
        response.cid = record.cid
        response.plaintextSha256 = record.plaintextSHA256
        response.wrappedKey = try custody.release(
            cid: cid, authorMSP: record.authorMSP, digest: record.keyDigests["author"] ?? "", to: caller)
        return response
    }

    func shredKeys(request: Medledger_V1_ShredKeysRequest, context: ServerContext) async throws
        -> Medledger_V1_ShredKeysResponse
    {
        let caller = try CallerIdentity.required()
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller).peer }
        let record = try LedgerPermit.currentRecord(request.recordID, on: channel)
        guard record.erased else {
            throw RecordAccessError.recordNotErased(recordID: record.recordID)
        }
        let cid = try ContentErrorStatus.map { try CID(record.cid) }
        let (keysDeleted, collected) = try ContentErrorStatus.map {
            let keysDeleted = try custody.keys.shred(record: cid)
            try? content.unpin(cid, recursive: true)
            return (keysDeleted, try content.collectGarbage())
        }
        var response = Medledger_V1_ShredKeysResponse()
        response.keysDeleted = UInt32(keysDeleted)
        response.blocksRemoved = UInt32(collected.removed.count)
        return response
    }
}

extension RecordsService {
    /// The record a committed `OpenRecord` of `caller` permits, if the ledger still does.
    func permittedRecord(_ txID: String, for caller: Identity, on channel: ChannelPeer) throws -> (RecordReference, CID) {
        let committed = try LedgerPermit.committedCall(txID, of: "OpenRecord", by: caller, on: channel)
        let outcome = try JSONDecoder().decode(OpenRecordResult.self, from: committed.response.payload)
        guard outcome.decision.outcome == .permit, let opened = outcome.record else {
            throw RecordAccessError.readDenied(rule: outcome.decision.rule)
        }
        let record = try LedgerPermit.currentRecord(opened.recordID, on: channel)
        guard !record.erased else {
            throw RecordAccessError.recordErased(recordID: record.recordID)
        }
        guard try LedgerPermit.consentStillActive(outcome.decision, patientID: record.patientID, on: channel) else {
            throw RecordAccessError.consentRevoked(consentID: outcome.decision.consentID ?? "")
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
