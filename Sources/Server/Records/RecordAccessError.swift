internal import ContentStore
internal import GRPCCore
internal import Schema
internal import Wire

/// Why this node refuses a record's key, content or export — the checks a custodian makes on its
/// own copy of the ledger before anything leaves. Each case has one gRPC status (`code`, used by
/// `StatusMapping`) and a message that names the transaction, record, patient or key at fault.
enum RecordAccessError: Error, CustomStringConvertible {
    // The caller's permit, on the ledger.
    case notCommitted(txID: String, channel: String)
    case submittedByAnother(txID: String, caller: String)
    case notTheCall(txID: String, contract: String, function: String)
    case notValid(txID: String, code: Medledger_V1_TxValidationCode)
    case decisionTooOld(txID: String, ageSeconds: Int, function: String, windowSeconds: Int)
    case readDenied(rule: String)
    case notInDecision(recordID: String, txID: String)
    case studyDeclined(studyID: String, txID: String)
    case recipientNotAllowed(recipient: String, creator: String)
    case consentRevoked(consentID: String)
    // What the ledger says of records and patients.
    case patientNotRegistered(patientID: String, channel: String)
    case recordNotFound(recordID: String, channel: String)
    case recordErased(recordID: String)
    case recordNotErased(recordID: String)
    case patientCertificateUnreadable(patientID: String)
    case patientKeyUnusable(patientID: String, reason: String)
    // Keys in custody and content.
    case notCustodian(mspID: String)
    case notHomeOrganization(patientID: String, home: String)
    case homeKeyMissing(patientID: String, home: String)
    case replicaAlreadyHeld(cid: CID, mspID: String)
    case emptyPatientKey
    case keysAlreadyDeposited(cid: CID)
    case alreadyRecorded(cid: CID, recordID: String)
    case noKeyHeld(cid: CID)
    case keyDigestMismatch(cid: CID)
    case contentMismatch(recordID: String)
    // Plain-client streams.
    case headerMissing
    case secondHeader
    case notServingOrganization(mspID: String)
    case depositElsewhere(mspID: String)

    var code: RPCError.Code {
        switch self {
        case .notCommitted, .patientNotRegistered, .recordNotFound, .notCustodian, .noKeyHeld: .notFound
        case .submittedByAnother, .readDenied, .consentRevoked, .recordErased, .notInDecision, .studyDeclined, .recipientNotAllowed:
            .permissionDenied
        case .homeKeyMissing: .invalidArgument
        case .notHomeOrganization: .failedPrecondition
        case .replicaAlreadyHeld: .alreadyExists
        case .notTheCall, .emptyPatientKey, .headerMissing, .secondHeader: .invalidArgument
        case .notValid, .decisionTooOld, .recordNotErased, .patientCertificateUnreadable, .patientKeyUnusable,
            .notServingOrganization, .depositElsewhere:
            .failedPrecondition
        case .keysAlreadyDeposited: .alreadyExists
        case .alreadyRecorded: .alreadyExists
        case .keyDigestMismatch, .contentMismatch: .dataLoss
        }
    }

    var description: String {
        switch self {
        case .notCommitted(let txID, let channel): "transaction \(QuotedInput.quote(txID)) has not committed on channel \(QuotedInput.quote(channel))"
        case .submittedByAnother(let txID, let caller): "transaction \(QuotedInput.quote(txID)) was submitted by another identity than \(caller)"
        case .notTheCall(let txID, let contract, let function): "transaction \(QuotedInput.quote(txID)) is not an \(contract) \(function) call"
        case .notValid(let txID, let code): "transaction \(QuotedInput.quote(txID)) committed as \(code), not VALID"
        case .decisionTooOld(let txID, let age, let function, let window):
            "the decision of \(QuotedInput.quote(txID)) is \(age) s old; call \(function) again (window \(window) s)"
        case .readDenied(let rule): "the ledger denied this read: \(rule)"
        case .notInDecision(let recordID, let txID):
            "record \(QuotedInput.quote(recordID)) is not among the records decision \(QuotedInput.quote(txID)) lists"
        case .studyDeclined(let studyID, let txID):
            "the patient of this record no longer approves study \(studyID) (decision \(QuotedInput.quote(txID)))"
        case .recipientNotAllowed(let recipient, let creator):
            "recipient_certificate names \(recipient), neither the decision's creator \(creator) nor a peer of its organisation"
        case .consentRevoked(let consentID): "consent \(consentID) was revoked after this decision; open the record again"
        case .patientNotRegistered(let patientID, let channel):
            "patient \(QuotedInput.quote(patientID)) is not registered on channel \(QuotedInput.quote(channel))"
        case .recordNotFound(let recordID, let channel): "record \(QuotedInput.quote(recordID)) does not exist on channel \(QuotedInput.quote(channel))"
        case .recordErased(let recordID): "record \(QuotedInput.quote(recordID)) has been erased"
        case .recordNotErased(let recordID):
            "record \(QuotedInput.quote(recordID)) is not erased on the ledger; erasure needs RequestErasure and ApproveErasure first"
        case .patientCertificateUnreadable(let patientID): "patient \(QuotedInput.quote(patientID)) has no readable certificate on the ledger"
        case .patientKeyUnusable(let patientID, let reason):
            "the certificate of patient \(QuotedInput.quote(patientID)) cannot be used for key wrapping: \(reason)"
        case .notCustodian(let mspID): "this node is not the key custodian of \(QuotedInput.quote(mspID))"
        case .notHomeOrganization(let patientID, let home):
            "patient \(QuotedInput.quote(patientID))'s home organisation is \(home), which this node does not serve"
        case .homeKeyMissing(let patientID, let home):
            "home_organization_key is empty: patient \(QuotedInput.quote(patientID))'s home organisation \(home) is not yours; wrap the key to GetCustodian(msp_id: \(home)) too"
        case .replicaAlreadyHeld(let cid, let mspID): "\(mspID) already holds a key of \(cid); a record's keys are written once"
        case .emptyPatientKey: "patient_key is empty"
        case .keysAlreadyDeposited(let cid): "keys of \(cid) were already deposited; a record's keys are written once"
        case .alreadyRecorded(let cid, let recordID):
            "record \(recordID) on the ledger already holds \(cid); its keys were deposited when it was added, and a record's keys are written once"
        case .noKeyHeld(let cid): "this node holds no key of \(cid) (erased, or deposited elsewhere)"
        case .keyDigestMismatch(let cid): "the stored key of \(cid) does not match the digest on the ledger"
        case .contentMismatch(let recordID): "record \(QuotedInput.quote(recordID)) does not match the SHA-256 on the ledger"
        case .headerMissing: "the first SealContent message must be the header (channel_id, patient_id)"
        case .secondHeader: "only the first SealContent message may be a header"
        case .notServingOrganization(let mspID):
            "this node does not serve \(mspID); ask your own organisation's node to decrypt, or use ReleaseKey"
        case .depositElsewhere(let mspID):
            "this node does not keep the keys of \(mspID): upload a record through your own organisation's node"
        }
    }
}
