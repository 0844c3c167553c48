internal import Chaincode
internal import ContentStore
internal import EHRModel
internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema

/// A custodian's decision to let a record's data key out, made on this node's own copy of the
/// ledger: which record, under which committed decision, for whom (the decision's creator).
///
/// Two decisions release a key: the reader's own `OpenRecord` that the ledger decided as permit
/// (fresh, record not erased, the deciding consent not revoked since), and the `StudyRecords`
/// decision a node of a research organisation submitted as its own peer (fresh, the record listed
/// in it and not erased, its patient still approving the study). Either may be redeemed by its
/// creator or relayed by a member's peer (the node the reader called). The key is only ever
/// wrapped to the creator or — asked by a peer of the creator's own organisation — to that peer,
/// so a relaying node cannot take it for anyone else, and another organisation's node relays a
/// key it cannot open.
struct KeyRelease: Sendable {
    var txID: String
    var record: RecordReference
    var cid: CID
    var creator: Identity
    var creatorCertificate: Data
    var custodians: RecordCustodians
    /// True when a peer of another organisation than the creator's relays the request.
    var relayedByOutsider: Bool

    static let openRecord = "OpenRecord"
    static let studyRecords = "StudyRecords"

    /// Decides for `caller` under committed transaction `txID` on `channel`; `recordID` names the
    /// record of a `StudyRecords` decision (an `OpenRecord` names its own).
    static func decide(_ txID: String, recordID: String, for caller: Identity, on channel: ChannelPeer, now: Date = Date()) throws -> KeyRelease {
        let (committed, creator) = try LedgerPermit.committedCall(
            txID, of: caller.role == .peer ? [openRecord, studyRecords] : [openRecord], by: caller, on: channel, now: now)
        let record: RecordReference
        if committed.proposal.input?.function == studyRecords {
            record = try studyRecord(recordID, of: committed, on: channel)
        } else {
            let outcome = try JSONDecoder().decode(OpenRecordResult.self, from: committed.response.payload)
            guard outcome.decision.outcome == .permit, let opened = outcome.record else {
                throw RecordAccessError.readDenied(rule: outcome.decision.rule)
            }
            record = try LedgerPermit.currentRecord(opened.recordID, on: channel)
            guard try LedgerPermit.consentStillActive(outcome.decision, patientID: record.patientID, on: channel) else {
                throw RecordAccessError.consentRevoked(consentID: outcome.decision.consentID ?? "")
            }
        }
        guard !record.erased else {
            throw RecordAccessError.recordErased(recordID: record.recordID)
        }
        let patient = try LedgerPermit.currentPatient(record.patientID, on: channel)
        return KeyRelease(
            txID: txID, record: record, cid: try ContentErrorStatus.map { try CID(record.cid) }, creator: creator,
            creatorCertificate: committed.proposal.creator, custodians: RecordCustodians(record: record, patient: patient),
            relayedByOutsider: committed.proposal.creator != Data(try caller.certificate.derBytes) && caller.mspID != creator.mspID)
    }

    /// Record `recordID` as it is now, if the `StudyRecords` decision lists it and its patient
    /// still approves the study.
    private static func studyRecord(_ recordID: String, of committed: CommittedTransaction, on channel: ChannelPeer) throws -> RecordReference {
        let study = try JSONDecoder().decode(StudyExport.self, from: committed.response.payload)
        guard let patient = study.patients.first(where: { $0.records.contains { $0.recordID == recordID } }) else {
            throw RecordAccessError.notInDecision(recordID: recordID, txID: committed.proposal.txID)
        }
        guard try LedgerPermit.stillApproves(patient.patientID, study: study.studyID, on: channel) else {
            throw RecordAccessError.studyDeclined(studyID: study.studyID, txID: committed.proposal.txID)
        }
        return try LedgerPermit.currentRecord(recordID, on: channel)
    }

    /// The certificate to wrap the key to: `requested` (DER) if it is the creator's, or a peer's
    /// of the creator's organisation asked by that organisation (a node unwrapping for a client it
    /// serves); empty: the creator's.
    func recipient(_ requested: Data, on channel: ChannelPeer, now: Date = Date()) throws -> Identity {
        if requested.isEmpty || requested == creatorCertificate { return creator }
        let identity = try channel.context.identity(der: requested, at: now)
        guard !relayedByOutsider, identity.role == .peer, identity.mspID == creator.mspID else {
            throw RecordAccessError.recipientNotAllowed(recipient: "\(identity)", creator: "\(creator)")
        }
        return identity
    }
}
