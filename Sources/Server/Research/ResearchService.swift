internal import Chaincode
internal import ContentStore
internal import Crypto
internal import Deidentification
internal import Foundation
internal import GRPCCore
internal import Identity
internal import Schema
internal import Wire
internal import EHRModel

/// The `medledger.v1.Research` gRPC service: streams a study's records as de-identified FHIR R4
/// NDJSON. What is exported is decided and audited on the ledger by a `StudyRecords` transaction
/// (approving patients only, consent evaluated per record) that this node, a node of the
/// researcher's organisation, submits as its own peer on behalf of the researcher it
/// authenticated. The decision names patients' ledger IDs and records' CIDs, so it stays here:
/// the researcher receives only the transaction's ID, the number of patients and the
/// de-identified records. This service decrypts those records with the keys in custody, checks
/// them against the ledger's digests, and de-identifies them (`SafeHarbor`). Plaintext exists only
/// in memory here.
struct ResearchService: Medledger_V1_Research.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Research"

    let node: LedgerNode
    let content: ContentStore
    let keys: RecordKeys
    let salts: StudySalts

    func export(
        request: Medledger_V1_ExportRequest, response: RPCWriter<Medledger_V1_ExportResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        let (ledger, own, decided) = try await StatusMapping.mapped {
            let ledger = try node.channel(request.channelID, for: caller)
            let own = try ownPeer(of: caller)
            return (ledger, own, try await decide(request.studyID, as: own, for: caller, on: ledger))
        }
        let study = try JSONDecoder().decode(StudyExport.self, from: decided.response.payload)
        var first = Medledger_V1_ExportResponse()
        first.transactionID = decided.txID
        first.patients = UInt32(study.patients.count)
        try await response.write(first)
        let channel = ledger.peer
        let deidentifier = SafeHarbor(studySalt: try salts.salt(for: study.studyID), exportedAt: Date())
        var withheld: UInt32 = 0
        for patient in study.patients where try LedgerPermit.stillApproves(patient.patientID, study: study.studyID, on: channel) {
            let registered = try LedgerPermit.currentPatient(patient.patientID, on: channel)
            for listed in patient.records {
                // Erased since the decision: nothing of it may leave.
                let record = try LedgerPermit.currentRecord(listed.recordID, on: channel)
                guard !record.erased else { continue }
                let plaintext = try await decrypt(record, of: registered, under: decided.txID, as: own, on: ledger)
                switch deidentifier.deidentify(plaintext, patientID: patient.patientID, recordID: record.recordID) {
                case .exported(var line, _):
                    line.append(0x0A)
                    var message = Medledger_V1_ExportResponse()
                    message.ndjson = line
                    message.resources = 1
                    try await response.write(message)
                case .withheld:
                    withheld += 1
                }
            }
        }
        if withheld > 0 {
            var message = Medledger_V1_ExportResponse()
            message.withheld = withheld
            try await response.write(message)
        }
    }

    /// Submits `StudyRecords` for `studyID` as this node's peer of the researcher's organisation,
    /// naming `researcher` as the reader, and returns its committed answer.
    private func decide(_ studyID: String, as own: HostedPeer, for researcher: Identity, on ledger: ChannelLedger) async throws
        -> NodeTransactionOutcome
    {
        let argument = StudyRecordsRequest(
            studyID: studyID,
            researcher: Reader(mspID: researcher.mspID, enrollmentID: researcher.enrollmentID, role: researcher.role.certificateName ?? "none"))
        return try await ledger.submitAsNode(
            own, chaincode: EHRContract.contractName, function: "StudyRecords", args: [try JSONEncoder().encode(argument)])
    }

    /// This node's peer of the researcher's organisation, which submits and redeems the decision.
    private func ownPeer(of researcher: Identity) throws -> HostedPeer {
        guard let own = node.peers.first(where: { $0.mspID == researcher.mspID }) else {
            throw GatewayError.failedPrecondition(
                "this node hosts no peer of \(researcher.mspID): a researcher exports through their own organisation's node")
        }
        return own
    }

    /// The record's plaintext, checked against the SHA-256 on the ledger. Its key comes from the
    /// custodians (this node's own custody when it is one), released under decision `txID`.
    private func decrypt(
        _ record: RecordReference, of patient: Patient, under txID: String, as own: HostedPeer, on ledger: ChannelLedger
    ) async throws -> Data {
        let cid = try ContentErrorStatus.map { try CID(record.cid) }
        let request = RecordKeys.Request(
            cid: cid, recordID: record.recordID, custodians: RecordCustodians(record: record, patient: patient), txID: txID)
        let key = try await keys.dataKey(request, as: own, on: ledger.context)
        try await keys.ensureContent(request, on: ledger.context)
        var plaintext = Data()
        try await ContentErrorStatus.mapAsync { try await content.catSealed(cid, key: key) { plaintext.append($0) } }
        let digest = Hex.encode(SHA256.hash(data: plaintext))
        guard digest == record.plaintextSHA256 else {
            throw RecordAccessError.contentMismatch(recordID: record.recordID)
        }
        return plaintext
    }
}

extension HostedService {
    /// The Research service of `node`, reading keys in custody under `keys` and study salts under `salts`.
    static func research(node: LedgerNode, content: ContentStore, keys: WrappedKeyStore, salts: URL) -> HostedService {
        HostedService(
            name: ResearchService.serviceName,
            service: ResearchService(
                node: node, content: content,
                keys: RecordKeys(
                    custody: KeyCustody(keys: keys, peers: node.peers), content: content, network: node.custodianNetwork(content: content)),
                salts: StudySalts(directory: salts)))
    }
}
