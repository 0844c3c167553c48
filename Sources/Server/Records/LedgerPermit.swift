internal import Chaincode
internal import ContentStore
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import Wire
internal import EHRModel

/// The ledger's word for a key release or an export: the caller's own committed call of an `ehr`
/// function, VALID, and recent enough that later revocations are not bypassed by replaying it.
enum LedgerPermit {
    /// How long after its proposal a decision may be redeemed; later, decide again.
    static let window: TimeInterval = 5 * 60

    /// The committed transaction `txID` on `channel`, checked to be a VALID call of one of
    /// `functions`, proposed within `window`, and redeemable by `caller`: its creator, or a peer
    /// relaying for them (`KeyRelease.recipient` then limits whom the key may be wrapped to).
    /// Otherwise the status that says which check failed. Returns the transaction and its creator.
    static func committedCall(
        _ txID: String, of functions: [String], by caller: Identity, on channel: ChannelPeer, now: Date = Date()
    ) throws -> (CommittedTransaction, creator: Identity) {
        guard let committed = try channel.committedTransaction(txID) else {
            throw RecordAccessError.notCommitted(txID: txID, channel: channel.channelID)
        }
        let proposal = committed.proposal
        let proposedAt = (proposal.timestamp ?? .init()).date
        let creator = try channel.context.identity(der: proposal.creator, at: proposedAt)
        guard proposal.creator == Data(try caller.certificate.derBytes) || caller.role == .peer else {
            throw RecordAccessError.submittedByAnother(txID: txID, caller: "\(caller)")
        }
        guard proposal.chaincodeName == EHRContract.contractName, let function = proposal.input?.function, functions.contains(function) else {
            throw RecordAccessError.notTheCall(txID: txID, contract: EHRContract.contractName, function: functions.joined(separator: " or "))
        }
        guard committed.location.code == .valid else {
            throw RecordAccessError.notValid(txID: txID, code: committed.location.code)
        }
        let age = now.timeIntervalSince(proposedAt)
        guard age <= window else {
            throw RecordAccessError.decisionTooOld(txID: txID, ageSeconds: Int(age), function: function, windowSeconds: Int(window))
        }
        return (committed, creator)
    }

    /// True unless the consent that decided a permit has been revoked since: a revocation is
    /// immediate for every read not yet done, even one whose decision came just before it.
    static func consentStillActive(_ decision: Decision, patientID: String, on channel: ChannelPeer) throws -> Bool {
        guard let consentID = decision.consentID else { return true }
        let key = try EHRContract.consentKey(patientID: patientID, consentID: consentID)
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: key) else { return false }
        return try JSONDecoder().decode(Consent.self, from: value).status == .active
    }

    /// False once the patient has declined (or never approved) the study: withdrawal is immediate.
    static func stillApproves(_ patientID: String, study: String, on channel: ChannelPeer) throws -> Bool {
        let key = try EHRContract.accessResponseKey(studyID: study, patientID: patientID)
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: key) else { return false }
        return try JSONDecoder().decode(AccessResponse.self, from: value).decision == .approved
    }

    /// The patient as world state holds them now.
    static func currentPatient(_ patientID: String, on channel: ChannelPeer) throws -> Patient {
        try EHRContract.validatePatientID(patientID, field: "patient_id")
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: try EHRContract.patientKey(patientID)) else {
            throw RecordAccessError.patientNotRegistered(patientID: patientID, channel: channel.channelID)
        }
        return try JSONDecoder().decode(Patient.self, from: value)
    }

    /// The ID of the committed record that holds `cid`, if any (found by the `cid` index the
    /// `ehr` contract declares).
    static func recordHolding(_ cid: CID, on channel: ChannelPeer) throws -> String? {
        let selector = try JSONSerialization.data(withJSONObject: ["selector": ["cid": cid.description]])
        let query = try RichQuery(json: selector)
        for entry in try channel.committedEntries(namespace: EHRContract.contractName, matching: query, limit: 8) {
            if let record = try? JSONDecoder().decode(RecordReference.self, from: entry.value), record.cid == cid.description {
                return record.recordID
            }
        }
        return nil
    }

    /// The record as world state holds it now.
    static func currentRecord(_ recordID: String, on channel: ChannelPeer) throws -> RecordReference {
        try EHRContract.validateIdentifier(recordID, field: "record_id")
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: try EHRContract.recordKey(recordID)) else {
            throw RecordAccessError.recordNotFound(recordID: recordID, channel: channel.channelID)
        }
        return try JSONDecoder().decode(RecordReference.self, from: value)
    }
}
