internal import Chaincode
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

    /// The committed transaction `txID` on `channel`, checked to be `caller`'s own VALID call of
    /// `function`, proposed within `window`; otherwise the status that says which check failed.
    static func committedCall(
        _ txID: String, of function: String, by caller: Identity, on channel: ChannelPeer, now: Date = Date()
    ) throws -> CommittedTransaction {
        guard let committed = try channel.committedTransaction(txID) else {
            throw RecordAccessError.notCommitted(txID: txID, channel: channel.channelID)
        }
        let proposal = committed.proposal
        guard proposal.creator == Data(try caller.certificate.derBytes) else {
            throw RecordAccessError.submittedByAnother(txID: txID, caller: "\(caller)")
        }
        guard proposal.chaincodeName == EHRContract.contractName, proposal.input?.function == function else {
            throw RecordAccessError.notTheCall(txID: txID, contract: EHRContract.contractName, function: function)
        }
        guard committed.location.code == .valid else {
            throw RecordAccessError.notValid(txID: txID, code: committed.location.code)
        }
        let age = now.timeIntervalSince((proposal.timestamp ?? .init()).date)
        guard age <= window else {
            throw RecordAccessError.decisionTooOld(txID: txID, ageSeconds: Int(age), function: function, windowSeconds: Int(window))
        }
        return committed
    }

    /// True unless the consent that decided a permit has been revoked since: a revocation is
    /// immediate for every read not yet done, even one whose decision came just before it.
    static func consentStillActive(_ decision: Decision, patientID: String, on channel: ChannelPeer) throws -> Bool {
        guard let consentID = decision.consentID else { return true }
        let key = try EHRContract.consentKey(patientID: patientID, consentID: consentID)
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: key) else { return false }
        return try JSONDecoder().decode(Consent.self, from: value).status == .active
    }

    /// The patient as world state holds them now.
    static func currentPatient(_ patientID: String, on channel: ChannelPeer) throws -> Patient {
        try EHRContract.validatePatientID(patientID, field: "patient_id")
        guard let value = try channel.committedValue(namespace: EHRContract.contractName, key: try EHRContract.patientKey(patientID)) else {
            throw RecordAccessError.patientNotRegistered(patientID: patientID, channel: channel.channelID)
        }
        return try JSONDecoder().decode(Patient.self, from: value)
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
