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
/// NDJSON. What is exported is decided and audited on the ledger by the researcher's own
/// `StudyRecords` transaction (approving patients only, consent evaluated per record); this service
/// only decrypts those records with the keys in custody, checks them against the ledger's digests,
/// and de-identifies them (`SafeHarbor`). Plaintext exists only in memory here.
struct ResearchService: Medledger_V1_Research.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Research"

    let node: LedgerNode
    let content: ContentStore
    let custody: KeyCustody
    let salts: StudySalts

    func export(
        request: Medledger_V1_ExportRequest, response: RPCWriter<Medledger_V1_ExportResponse>, context: ServerContext
    ) async throws {
        let caller = try CallerIdentity.required()
        let channel = try await StatusMapping.mapped { try node.channel(request.channelID, for: caller).peer }
        let committed = try LedgerPermit.committedCall(request.transactionID, of: "StudyRecords", by: caller, on: channel)
        let study = try JSONDecoder().decode(StudyExport.self, from: committed.response.payload)
        guard study.studyID == request.studyID else {
            throw RecordAccessError.wrongStudy(txID: request.transactionID, decided: study.studyID, asked: request.studyID)
        }
        let deidentifier = SafeHarbor(studySalt: try salts.salt(for: study.studyID), exportedAt: Date())
        var withheld: UInt32 = 0
        for patient in study.patients where try stillApproves(patient.patientID, study: study.studyID, on: channel) {
            for listed in patient.records {
                // Erased since the decision: nothing of it may leave.
                let record = try LedgerPermit.currentRecord(listed.recordID, on: channel)
                guard !record.erased else { continue }
                let plaintext = try await decrypt(record)
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

    /// False once the patient has declined the study after the decision: withdrawal is immediate.
    private func stillApproves(_ patientID: String, study: String, on channel: ChannelPeer) throws -> Bool {
        let key = try EHRContract.accessResponseKey(studyID: study, patientID: patientID)
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: key) else { return false }
        return try JSONDecoder().decode(AccessResponse.self, from: value).decision == .approved
    }

    /// The record's plaintext, checked against the SHA-256 on the ledger.
    private func decrypt(_ record: RecordReference) async throws -> Data {
        let cid = try ContentErrorStatus.map { try CID(record.cid) }
        let key = try custody.dataKey(cid: cid, authorMSP: record.authorMSP, digest: record.keyDigests["author"] ?? "")
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
                node: node, content: content, custody: KeyCustody(keys: keys, peers: node.peers), salts: StudySalts(directory: salts)))
    }
}
