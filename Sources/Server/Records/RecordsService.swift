internal import Chaincode
internal import ContentStore
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire
internal import EHRModel

/// The `medledger.v1.Records` gRPC service: custody of record data keys (`KeyCustody`), with every
/// release and every erasure decided by the ledger's `ehr` contract, never by this service.
///
/// A key is released only under a committed decision checked on this node's copy of the ledger
/// (`KeyRelease`): the caller's own `OpenRecord` permit, or a research node's `StudyRecords`.
/// When this node holds no copy (its organisation is neither the record's author nor the
/// patient's home), it relays the request to a custodian organisation's node, which decides again
/// on its own copy, and fetches the content from there (`RecordKeys`).
struct RecordsService: Medledger_V1_Records.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Records"

    let node: LedgerNode
    let content: ContentStore
    let keys: RecordKeys
    /// Leases on uploads no committed record references yet (nil: kept for good, as before leases).
    var leases: UploadLeases?

    var custody: KeyCustody { keys.custody }

    /// Whether `cid` is pinned here (an upload's own provisional pin counts only through its lease).
    func isPinned(_ cid: CID) -> Bool {
        content.pins().contains { $0.cid == cid }
    }

    /// How long a custodian waits for a relayed decision to commit on its own copy of the ledger.
    static let relayedCommitWait: Duration = .seconds(10)

    func getCustodian(request: Medledger_V1_GetCustodianRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCustodianResponse
    {
        let caller = try CallerIdentity.required()
        let mspID = request.mspID.isEmpty ? caller.mspID : request.mspID
        var response = Medledger_V1_GetCustodianResponse()
        if let network = keys.network, !custody.serves(mspID) {
            let shared = try await StatusMapping.mapped { try node.channel(naming: mspID, for: caller) }
            response.certificate = try await network.custodianCertificate(of: mspID, on: shared.context)
        } else {
            response.certificate = try custody.certificate(of: mspID)
        }
        return response
    }

    func depositKeys(request: Medledger_V1_DepositKeysRequest, context: ServerContext) async throws
        -> Medledger_V1_DepositKeysResponse
    {
        let caller = try CallerIdentity.required()
        let ledger = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        let patient = request.patientID.isEmpty ? nil : try LedgerPermit.currentPatient(request.patientID, on: ledger.peer)
        let digests = try await deposit(
            cid: cid, patientKey: request.patientKey, organizationKey: request.organizationKey, homeKey: request.homeOrganizationKey,
            patient: patient, depositor: caller, on: ledger)
        var response = Medledger_V1_DepositKeysResponse()
        response.patientKeyDigest = digests.patient
        response.organizationKeyDigest = digests.organization
        response.homeOrganizationKeyDigest = digests.home
        return response
    }

    func releaseKey(request: Medledger_V1_ReleaseKeyRequest, context: ServerContext) async throws
        -> Medledger_V1_ReleaseKeyResponse
    {
        do {
            let response = try await released(request)
            NodeMetrics.current?.keyRelease(denied: nil)
            return response
        } catch {
            NodeMetrics.current?.keyRelease(denied: StatusMapping.rpcError(for: error).code)
            throw error
        }
    }

    private func released(_ request: Medledger_V1_ReleaseKeyRequest) async throws -> Medledger_V1_ReleaseKeyResponse {
        let caller = try CallerIdentity.required()
        let ledger = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        if caller.role == .peer {
            // Relayed from the reader's node, which may have committed the decision first.
            await ledger.peer.awaitCommit(request.transactionID, within: Self.relayedCommitWait)
        }
        let release = try KeyRelease.decide(request.transactionID, recordID: request.recordID, for: caller, on: ledger.peer)
        let recipient = try release.recipient(request.recipientCertificate, on: ledger.peer)
        var response = Medledger_V1_ReleaseKeyResponse()
        response.recordID = release.record.recordID
        response.cid = release.record.cid
        response.plaintextSha256 = release.record.plaintextSHA256
        response.wrappedKey = try await keys.wrappedKey(release.keyRequest, to: recipient, on: ledger.context)
        if caller.role != .peer {
            try await keys.ensureContent(release.keyRequest, on: ledger.context)
        }
        return response
    }

    func holdReplica(request: Medledger_V1_HoldReplicaRequest, context: ServerContext) async throws
        -> Medledger_V1_HoldReplicaResponse
    {
        let caller = try CallerIdentity.required()
        let ledger = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller) }
        let cid = try ContentErrorStatus.map { try CID(request.cid) }
        let patient = try LedgerPermit.currentPatient(request.patientID, on: ledger.peer)
        guard custody.serves(patient.mspID) else {
            throw RecordAccessError.notHomeOrganization(patientID: patient.patientID, home: patient.mspID)
        }
        try custody.checkCopy(cid: cid, organizationKey: request.organizationKey, for: patient.mspID)
        try leases?.hold(cid, contentPinnedBefore: isPinned(cid))
        var response = Medledger_V1_HoldReplicaResponse()
        if let network = keys.network, !content.blocks.has(cid) {
            let fetched = try await network.fetchContent(cid, from: [caller.mspID], on: ledger.context, pin: true)
            response.blocksFetched = UInt32(clamping: fetched)
        } else {
            try ContentErrorStatus.map { try content.pin(cid, recursive: true) }
        }
        response.organizationKeyDigest = try custody.holdCopy(
            cid: cid, organizationKey: request.organizationKey, patientKey: request.patientKey, for: patient.mspID)
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
    /// The wrapped keys' digests of a new record.
    struct Digests {
        var patient: String
        var organization: String
        /// Empty when the patient's home organisation is the depositor's.
        var home: String
    }

    /// Stores a new record's keys: the patient's and the depositor's organisation's copies here,
    /// and, when `patient`'s home organisation is another, its copy at its node together with a
    /// replica of the content (here too, if this node serves it). Checks everything this node
    /// can before anything is written anywhere.
    func deposit(
        cid: CID, patientKey: Data, organizationKey: Data, homeKey: Data, patient: Patient?, depositor: Identity, on ledger: ChannelLedger
    ) async throws -> Digests {
        if let recordID = try LedgerPermit.recordHolding(cid, on: ledger.peer) {
            // On a network the node may hold no key of another organisation's record: the ledger says it exists.
            throw RecordAccessError.alreadyRecorded(cid: cid, recordID: recordID)
        }
        guard custody.serves(depositor.mspID) else { throw RecordAccessError.depositElsewhere(mspID: depositor.mspID) }
        try custody.checkDeposit(cid: cid, patientKey: patientKey, organizationKey: organizationKey, depositor: depositor)
        // Held before anything is written: keys of an upload whose AddRecord never commits are shredded.
        try leases?.hold(cid, contentPinnedBefore: isPinned(cid))
        guard let patient, patient.mspID != depositor.mspID else {
            let digests = try custody.deposit(cid: cid, patientKey: patientKey, organizationKey: organizationKey, depositor: depositor)
            return Digests(patient: digests.patient, organization: digests.organization, home: "")
        }
        guard !homeKey.isEmpty else {
            throw RecordAccessError.homeKeyMissing(patientID: patient.patientID, home: patient.mspID)
        }
        var heldElsewhere: String?
        if let network = keys.network, !custody.serves(patient.mspID) {
            var replica = Medledger_V1_HoldReplicaRequest()
            replica.channelID = ledger.context.channelID
            replica.cid = cid.description
            replica.patientID = patient.patientID
            replica.organizationKey = homeKey
            replica.patientKey = patientKey
            heldElsewhere = try await network.holdReplica(replica, at: patient.mspID, on: ledger.context).organizationKeyDigest
        } else {
            try custody.checkCopy(cid: cid, organizationKey: homeKey, for: patient.mspID)
        }
        let digests = try custody.deposit(cid: cid, patientKey: patientKey, organizationKey: organizationKey, depositor: depositor)
        let home = try heldElsewhere ?? custody.holdCopy(cid: cid, organizationKey: homeKey, patientKey: patientKey, for: patient.mspID)
        return Digests(patient: digests.patient, organization: digests.organization, home: home)
    }
}

extension HostedService {
    /// The Records service of `node`, keeping keys under `keys` and new uploads under `leases`.
    static func records(node: LedgerNode, content: ContentStore, keys: WrappedKeyStore, leases: UploadLeases? = nil) -> HostedService {
        HostedService(
            name: RecordsService.serviceName,
            service: RecordsService(
                node: node, content: content,
                keys: RecordKeys(
                    custody: KeyCustody(keys: keys, peers: node.peers), content: content, network: node.custodianNetwork(content: content)),
                leases: leases))
    }
}
