internal import Foundation
public import Identity
public import LedgerCore
public import Schema
internal import EHRModel

/// Who receives the contract's events on `Gateway.ChaincodeEvents`. A break-glass notice names a
/// patient and a record: it reaches that patient and the peers, admins and auditors of the
/// patient's organisation. An erasure notice names a record's CID: it reaches peers, admins and
/// auditors, whose nodes and tools act on it. Nobody else receives either (researchers never).
extension EHRContract {
    public func mayReceive(_ event: Medledger_V1_ChaincodeEvent, caller: Identity, state: any StateReader) -> Bool {
        let operators: Set<Medledger_V1_Role> = [.peer, .admin, .auditor]
        switch EHREvent(rawValue: event.eventName) {
        case .breakGlass:
            guard let notice = try? JSONDecoder().decode(BreakGlassNotice.self, from: event.payload) else { return false }
            if operators.contains(caller.role) { return caller.mspID == notice.patientMSP }
            guard caller.role == .patient,
                let key = try? Self.patientKey(notice.patientID),
                let stored = try? state.get(namespace: name, key: key),
                let patient = try? JSONDecoder().decode(Patient.self, from: stored.value)
            else { return false }
            return Self.isPatient(patient, caller)
        case .recordErased:
            return operators.contains(caller.role)
        case nil:
            return false
        }
    }
}
