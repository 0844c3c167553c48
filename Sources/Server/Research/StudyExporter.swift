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

/// The one implementation of a study export, behind both `Research.Export` (gRPC) and FHIR Bulk
/// Data `$export` (HTTPS): the audited `StudyRecords` decision, submitted by this node's peer of
/// the study's organisation on behalf of the reader it authenticated (a researcher or a backend
/// client), then each permitted record decrypted with the keys in custody, checked against the
/// ledger's digest and de-identified (`SafeHarbor`). Plaintext exists only in memory here; the
/// decision names patients and CIDs, so it never leaves this type.
struct StudyExporter: Sendable {
    let node: LedgerNode
    let content: ContentStore
    let keys: RecordKeys
    let salts: StudySalts

    /// A committed `StudyRecords` decision, ready to be redeemed.
    struct Decision: Sendable {
        let txID: String
        let study: StudyExport
        fileprivate let own: HostedPeer
        fileprivate let ledger: ChannelLedger
    }

    /// One de-identified resource, as an NDJSON line without its newline.
    struct Resource: Sendable {
        let resourceType: String
        let line: Data
    }

    /// What came of redeeming a decision: resources written and records withheld whole.
    struct Totals: Sendable, Equatable {
        var resources = 0
        var withheld = 0
    }

    /// Submits `StudyRecords` for `studyID` on `channelID` as this node's peer of `reader`'s
    /// organisation (which the caller authenticated as `reader`) and returns its committed answer:
    /// the audit event of the export.
    func decide(studyID: String, channelID: String, reader: Reader) async throws -> Decision {
        let ledger = try node.channel(channelID, forMember: reader.mspID)
        guard let own = node.peers.first(where: { $0.mspID == reader.mspID }) else {
            throw GatewayError.failedPrecondition(
                "this node hosts no peer of \(reader.mspID): a study is exported through its own organisation's node")
        }
        let argument = StudyRecordsRequest(studyID: studyID, researcher: reader)
        let outcome = try await ledger.submitAsNode(
            own, chaincode: EHRContract.contractName, function: "StudyRecords", args: [try JSONEncoder().encode(argument)])
        let study = try JSONDecoder().decode(StudyExport.self, from: outcome.response.payload)
        return Decision(txID: outcome.txID, study: study, own: own, ledger: ledger)
    }

    /// Decrypts and de-identifies every record of `decision` that `including` accepts, handing each
    /// resource to `deliver` in order. Patients who withdrew and records erased since the decision
    /// are skipped: nothing of them may leave.
    func redeem(
        _ decision: Decision, including: @Sendable (RecordReference) -> Bool = { _ in true },
        deliver: (Resource) async throws -> Void
    ) async throws -> Totals {
        let channel = decision.ledger.peer
        let deidentifier = SafeHarbor(studySalt: try salts.salt(for: decision.study.studyID), exportedAt: Date())
        var totals = Totals()
        for patient in decision.study.patients
        where try LedgerPermit.stillApproves(patient.patientID, study: decision.study.studyID, on: channel) {
            let registered = try LedgerPermit.currentPatient(patient.patientID, on: channel)
            for listed in patient.records {
                try Task.checkCancellation()
                let record = try LedgerPermit.currentRecord(listed.recordID, on: channel)
                guard !record.erased, including(record) else { continue }
                let plaintext = try await decrypt(record, of: registered, under: decision)
                switch deidentifier.deidentify(plaintext, patientID: patient.patientID, recordID: record.recordID) {
                case .exported(let line, let resourceType):
                    try await deliver(Resource(resourceType: resourceType, line: line))
                    totals.resources += 1
                case .withheld:
                    totals.withheld += 1
                }
            }
        }
        return totals
    }

    /// The record's plaintext, checked against the SHA-256 on the ledger. Its key comes from the
    /// custodians (this node's own custody when it is one), released under the decision.
    private func decrypt(_ record: RecordReference, of patient: Patient, under decision: Decision) async throws -> Data {
        let cid = try ContentErrorStatus.map { try CID(record.cid) }
        let request = RecordKeys.Request(
            cid: cid, recordID: record.recordID, custodians: RecordCustodians(record: record, patient: patient), txID: decision.txID)
        let key = try await keys.dataKey(request, as: decision.own, on: decision.ledger.context)
        try await keys.ensureContent(request, on: decision.ledger.context)
        var plaintext = Data()
        try await ContentErrorStatus.mapAsync { try await content.catSealed(cid, key: key) { plaintext.append($0) } }
        let digest = Hex.encode(SHA256.hash(data: plaintext))
        guard digest == record.plaintextSHA256 else {
            throw RecordAccessError.contentMismatch(recordID: record.recordID)
        }
        return plaintext
    }
}

extension StudyExporter {
    /// The exporter of `node`, reading keys in custody under `keys` and study salts under `salts`.
    init(node: LedgerNode, content: ContentStore, keys: WrappedKeyStore, salts: URL) {
        self.init(
            node: node, content: content,
            keys: RecordKeys(custody: KeyCustody(keys: keys, peers: node.peers), content: content, network: node.custodianNetwork(content: content)),
            salts: StudySalts(directory: salts))
    }
}
