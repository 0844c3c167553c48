import Chaincode
import ContentStore
import EHRModel
import Foundation
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server

/// Values one row leaves for a later one (a consent it granted).
actor MatrixScratch {
    private var values: [String: String] = [:]

    func set(_ key: String, _ value: String) { values[key] = value }

    func value(_ key: String) throws -> String {
        guard let value = values[key] else { throw MatrixFailure(description: "no \(key): the row that makes it failed") }
        return value
    }
}

/// The rows of `EHRAuthorizationMatrixTests`, table by table, and the builders that turn a
/// (caller, action, state, expected) line into a call over mTLS.
struct MatrixCalls: Sendable {
    let dev: any MatrixTarget
    let fixture: Fixture
    let inbox: ResearcherInbox
    let scratch = MatrixScratch()

    static let study = EHRAuthorizationMatrixTests.study
    static let p1Records = ["rec-alpha", "rec-epsilon", "rec-mental"]

    // MARK: builders

    func row(
        _ caller: String, _ action: String, _ state: String, _ expected: Observed, knownIssue: String? = nil, elsewhere: Observed? = nil,
        _ call: @escaping @Sendable () async throws -> Observed
    ) -> MatrixRow {
        MatrixRow(caller: caller, action: action, state: state, expected: expected, knownIssue: knownIssue, elsewhere: elsewhere, call: call)
    }

    /// An evaluated query; OK when `check` (if any) finds nothing wrong with the payload.
    func query(
        _ caller: String, _ function: String, _ fields: [String: String], _ state: String, _ expected: Observed,
        channel: String = "ehr", check: (@Sendable (Data) throws -> String?)? = nil
    ) -> MatrixRow {
        let argument = matrixJSON(fields)
        return row(caller, "\(function) \(argument)", state, expected) { [dev, inbox] in
            let payload = try await dev.evaluate(as: caller, function, argument, channel: channel)
            if caller == "researcher" { await inbox.keep(payload, from: "\(function) \(argument)") }
            if let problem = try check?(payload) { return .wrong(problem) }
            return .ok
        }
    }

    /// A submitted transaction; OK when it commits VALID and `check` finds nothing wrong.
    func submit(
        _ caller: String, _ function: String, _ fields: [String: Any], _ state: String, _ expected: Observed,
        channel: String = "ehr", check: (@Sendable (Data) throws -> String?)? = nil
    ) -> MatrixRow {
        let argument = matrixJSON(fields)
        return row(caller, "\(function) \(argument)", state, expected) { [dev, inbox] in
            let payload = try await dev.submit(as: caller, function, argument, channel: channel).payload
            if caller == "researcher" { await inbox.keep(payload, from: "\(function) \(argument)") }
            if let problem = try check?(payload) { return .wrong(problem) }
            return .ok
        }
    }

    /// An audited read (`OpenRecord`): the ledger's decision; a permit only counts when the key is
    /// released and the content decrypts to the record's (the SDK checks the ledger's digest).
    func open(
        _ caller: String, _ recordID: String, _ purpose: String, justification: String? = nil, _ state: String,
        _ expected: Observed, knownIssue: String? = nil
    ) -> MatrixRow {
        let plaintext = EHRAuthorizationMatrixTests.records.first { $0.recordID == recordID }?.plaintext
        let action = "OpenRecord \(recordID) \(purpose)\(justification == nil ? "" : " with justification")"
        return row(caller, action, state, expected, knownIssue: knownIssue) { [dev, inbox] in
            if caller == "researcher" {
                // Kept byte for byte: the decision, and any key the node then releases.
                var fields = ["recordID": recordID, "purpose": purpose]
                fields["justification"] = justification
                let (txID, payload) = try await dev.submit(as: caller, "OpenRecord", matrixJSON(fields))
                await inbox.keep(payload, from: action)
                let result = try JSONDecoder().decode(OpenRecordResult.self, from: payload)
                guard result.decision.outcome == .permit else { return .deny }
                let released = try await dev.releaseKey(as: caller, txID)
                await inbox.keep(Data((released.recordID + released.cid + released.plaintextSha256).utf8), from: "ReleaseKey after \(action)")
                return .permit
            }
            let opened = try await dev.records(as: caller) { try await $0.openRecord(recordID, purpose: purpose, justification: justification) }
            switch opened.decision.outcome {
            case .deny: return opened.plaintext == nil ? .deny : .wrong("denied, yet content came back")
            case .permit: return opened.plaintext == plaintext ? .permit : .wrong("permitted, but the content is not the record's")
            }
        }
    }

    /// An RPC whose success is OK.
    func rpc(
        _ caller: String, _ action: String, _ state: String, _ expected: Observed, knownIssue: String? = nil, elsewhere: Observed? = nil,
        _ call: @escaping @Sendable () async throws -> Void
    ) -> MatrixRow {
        row(caller, action, state, expected, knownIssue: knownIssue, elsewhere: elsewhere) {
            try await call()
            return .ok
        }
    }

    static func recordIDs(_ payload: Data) throws -> [String] {
        try JSONDecoder().decode([RecordReference].self, from: payload).map(\.recordID).sorted()
    }

    static func expectRecords(_ expected: [String]) -> @Sendable (Data) throws -> String? {
        { payload in
            let actual = try recordIDs(payload)
            return actual == expected.sorted() ? nil : "listed \(actual), not \(expected.sorted())"
        }
    }

    static func contains(_ text: String) -> @Sendable (Data) throws -> String? {
        { payload in String(decoding: payload, as: UTF8.self).contains(text) ? nil : "the response lacks \(text)" }
    }

    /// NDJSON with `lines` resources, none of which holds any of `absent`.
    static func ndjson(lines: Int, without absent: [String]) -> @Sendable (Data) -> String? {
        { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let count = text.split(separator: "\n").count
            if count != lines { return "\(count) resources exported, not \(lines)" }
            return absent.first { text.contains($0) }.map { "the export holds \($0)" }
        }
    }

    // MARK: tables

    /// Evaluated queries of patient data and research requests.
    func queryRows() -> [MatrixRow] {
        let p1 = ["patientID": "P-1"]
        let all = Self.p1Records
        return [
            query("patient-1", "GetPatient", p1, "own patient", .ok),
            // Documented: any member but researchers may look a patient up, other patients included.
            query("patient-2", "GetPatient", p1, "other patient, same org", .code(.permissionDenied)),
            query("dr-alice", "GetPatient", p1, "clinician of the patient's org", .ok),
            query("dr-bob", "GetPatient", p1, "clinician of another org", .ok),
            query("hospitalb-admin", "GetPatient", p1, "admin of another org", .ok),
            query("auditor", "GetPatient", p1, "auditor", .ok),
            query("researcher", "GetPatient", p1, "researcher, patient approved the study", .code(.permissionDenied)),
            query("researcher", "GetPatient", ["patientID": "P-2"], "researcher, patient declined", .code(.permissionDenied)),
            query("researcher", "GetPatient", ["patientID": "P-404"], "researcher, no such patient (same refusal)", .code(.permissionDenied)),
            query("dr-alice", "GetPatient", ["patientID": "P-404"], "no such patient", .code(.notFound)),

            query("patient-1", "ListRecords", p1, "own patient", .ok, check: Self.expectRecords(all)),
            query("patient-2", "ListRecords", p1, "other patient", .code(.permissionDenied)),
            query("patient-3", "ListRecords", p1, "other patient, other org", .code(.permissionDenied)),
            query("dr-alice", "ListRecords", p1, "clinician of the patient's org", .ok, check: Self.expectRecords(all)),
            query("hospitala-admin", "ListRecords", p1, "admin of the patient's org", .ok, check: Self.expectRecords(all)),
            query("dr-bob", "ListRecords", p1, "clinician of another org, consented, authored none", .code(.permissionDenied)),
            query("hospitalb-admin", "ListRecords", p1, "admin of another org, authored none", .code(.permissionDenied)),
            query("dr-bob", "ListRecords", ["patientID": "P-3"], "clinician of the patient's org", .ok, check: Self.expectRecords(["rec-gamma"])),
            query("dr-alice", "ListRecords", ["patientID": "P-3"], "clinician of another org, no consent", .code(.permissionDenied)),
            query("patient-3", "ListRecords", ["patientID": "P-3"], "own patient", .ok, check: Self.expectRecords(["rec-gamma"])),
            query("auditor", "ListRecords", p1, "auditor", .ok, check: Self.expectRecords(all)),
            query("researcher", "ListRecords", p1, "researcher, patient approved", .code(.permissionDenied)),
            query("researcher", "ListRecords", ["patientID": "P-2"], "researcher, patient declined", .code(.permissionDenied)),
            query("pharmaco-admin", "ListRecords", p1, "admin of a non-hospital org", .code(.permissionDenied)),

            query("patient-1", "ListConsents", p1, "own patient", .ok, check: Self.contains(fixture.consentID)),
            query("patient-2", "ListConsents", p1, "other patient", .code(.permissionDenied)),
            query("dr-alice", "ListConsents", p1, "clinician of the patient's org", .code(.permissionDenied)),
            query("dr-bob", "ListConsents", p1, "clinician of the grantee org", .code(.permissionDenied)),
            query("hospitala-admin", "ListConsents", p1, "admin of the patient's org", .code(.permissionDenied)),
            query("researcher", "ListConsents", p1, "researcher, patient approved", .code(.permissionDenied)),
            query("auditor", "ListConsents", p1, "auditor", .ok, check: Self.contains(fixture.consentID)),

            query("patient-1", "ListAudit", p1, "own patient", .ok, check: Self.contains(fixture.bobPermitAlpha)),
            query("patient-2", "ListAudit", p1, "other patient", .code(.permissionDenied)),
            query("patient-2", "ListAudit", ["patientID": "P-2"], "own patient", .ok, check: Self.contains(fixture.bobDenyBeta)),
            query("dr-alice", "ListAudit", p1, "clinician of the patient's org", .code(.permissionDenied)),
            query("dr-bob", "ListAudit", p1, "clinician of another org, consented", .code(.permissionDenied)),
            query("hospitala-admin", "ListAudit", p1, "admin of the patient's org", .code(.permissionDenied)),
            query("researcher", "ListAudit", p1, "researcher, patient approved", .code(.permissionDenied)),
            query("researcher", "ListAudit", ["patientID": "P-2"], "researcher, patient declined", .code(.permissionDenied)),
            query("auditor", "ListAudit", p1, "auditor", .ok, check: Self.contains(fixture.bobPermitAlpha)),

            query("researcher", "ListAccessRequests", [:], "researcher", .ok, check: Self.contains(Self.study)),
            query("patient-2", "ListAccessRequests", [:], "patient who declined", .ok, check: Self.contains(Self.study)),
            query("dr-bob", "ListAccessRequests", [:], "clinician", .ok),
            query("auditor", "ListAccessRequests", [:], "auditor", .ok),
        ]
    }

    /// `OpenRecord` by every kind of caller, for own and other patients, consented or not.
    func readRows() -> [MatrixRow] {
        return [
            open("patient-1", "rec-alpha", "TREAT", "own record", .permit),
            open("patient-2", "rec-alpha", "TREAT", "other patient's record, same org", .deny),
            open(
                "patient-3", "rec-alpha", "TREAT", "other patient's record, of the org P-1 consented to", .deny),
            open("dr-alice", "rec-alpha", "TREAT", "clinician of the author org", .permit),
            open("hospitala-admin", "rec-alpha", "TREAT", "admin of the author org", .permit),
            open("dr-bob", "rec-alpha", "TREAT", "clinician of another org, consented (org grant)", .permit),
            open("hospitalb-admin", "rec-alpha", "TREAT", "admin of another org, consented (org grant)", .permit),
            open("researcher", "rec-alpha", "TREAT", "researcher, treatment purpose", .deny),
            open(
                "researcher", "rec-alpha", "HRESCH", "researcher, patient approved the study: de-identified export only", .deny),
            open("auditor", "rec-alpha", "TREAT", "auditor, no consent", .deny),
            open("pharmaco-admin", "rec-alpha", "TREAT", "admin of a non-hospital org", .deny),
            open("regulator-admin", "rec-alpha", "TREAT", "admin of the regulator", .deny),

            open("patient-1", "rec-mental", "TREAT", "own record, excluded category", .permit),
            open("dr-alice", "rec-mental", "TREAT", "clinician of the author org", .permit),
            open("dr-bob", "rec-mental", "TREAT", "consent denies mental-health", .deny),
            open("hospitalb-admin", "rec-mental", "TREAT", "consent denies mental-health", .deny),
            open("researcher", "rec-mental", "HRESCH", "category outside the study", .deny),

            open("patient-2", "rec-beta", "TREAT", "own record", .permit),
            open("dr-alice", "rec-beta", "TREAT", "clinician of the author org", .permit),
            open("patient-1", "rec-beta", "TREAT", "other patient's record", .deny),
            open("dr-bob", "rec-beta", "TREAT", "clinician of another org, no consent", .deny),
            open("hospitalb-admin", "rec-beta", "TREAT", "admin of another org, no consent", .deny),
            open("dr-bob", "rec-beta", "ETREAT", "break-glass without justification", .deny),
            open("hospitalb-admin", "rec-beta", "ETREAT", justification: "collapsed in lobby", "break-glass by a non-clinician", .deny),
            open("researcher", "rec-beta", "HRESCH", "patient declined the study", .deny),
            open("researcher", "rec-beta", "ETREAT", justification: "urgent", "break-glass by a researcher", .deny),
            open("auditor", "rec-beta", "TREAT", "auditor, no consent", .deny),
            open("patient-1", "rec-beta", "ETREAT", justification: "my friend", "break-glass by a patient", .deny),

            open("patient-3", "rec-gamma", "TREAT", "own record, other org", .permit),
            open("dr-bob", "rec-gamma", "TREAT", "clinician of the author org", .permit),
            open("dr-alice", "rec-gamma", "TREAT", "clinician of another org, no consent", .deny),
            open("hospitala-admin", "rec-gamma", "TREAT", "admin of another org, no consent", .deny),
            open("researcher", "rec-gamma", "HRESCH", "patient never answered the study", .deny),
            open("dr-alice", "rec-gamma", "ETREAT", "break-glass without justification", .deny),
            open("dr-alice", "rec-gamma", "ETREAT", justification: "unconscious, allergy check", "break-glass, justified", .permit),
            open("dr-alice", "rec-gamma", "ETREAT", "break-glass grant still valid", .permit),
            open("dr-alice", "rec-gamma", "TREAT", "break-glass grant is for ETREAT only", .deny),
            open("hospitala-admin", "rec-gamma", "ETREAT", "another reader than the grant's", .deny),
        ]
    }

    /// Consents, research requests and answers, registration and record writes.
    func consentAndResearchRows() -> [MatrixRow] {
        let auditorConsent = matrixJSON([
            "patientID": "P-1", "scope": "treatment", "purposes": ["TREAT"], "categories": ["lab"],
            "grantee": ["kind": "identity", "mspID": "RegulatorMSP", "enrollmentID": "auditor"],
        ])
        let grant = { (caller: String, state: String, expected: Observed) in
            row(caller, "GrantConsent for P-1", state, expected) { [dev] in
                let (txID, _) = try await dev.submit(as: caller, "GrantConsent", auditorConsent)
                await scratch.set("consent", "c-" + txID)
                return .ok
            }
        }
        let revoke = { (caller: String, state: String, expected: Observed) in
            row(caller, "RevokeConsent of P-1's consent to the auditor", state, expected) { [dev, scratch] in
                let consentID = try await scratch.value("consent")
                _ = try await dev.submit(as: caller, "RevokeConsent", matrixJSON(["patientID": "P-1", "consentID": consentID]))
                return .ok
            }
        }
        let certificate = { (name: String) in
            (try? dev.identity(name).loadCertificate().derBytes).map { Data($0).base64EncodedString() } ?? ""
        }
        let zeros = String(repeating: "0", count: 64)
        let addRecord: [String: Any] = [
            "recordID": "rec-forged", "patientID": "P-1", "cid": fixture.cids["rec-alpha"] ?? "", "plaintextSHA256": zeros,
            "resourceType": "Observation", "category": "lab", "keyDigests": ["patient": zeros, "author": zeros],
        ]
        let approveP1 = ["studyID": Self.study, "patientID": "P-1", "decision": "approved"]
        let requestAccess: [String: Any] = ["studyID": "S-NEW", "purpose": "HRESCH", "categories": ["lab"], "description": "d"]
        return [
            grant("patient-2", "a patient consents for another patient (same org)", .code(.permissionDenied)),
            grant("patient-3", "a patient consents for another patient (other org)", .code(.permissionDenied)),
            grant("dr-alice", "clinician of the patient's org", .code(.permissionDenied)),
            grant("hospitala-admin", "admin of the patient's org", .code(.permissionDenied)),
            grant("researcher", "researcher", .code(.permissionDenied)),
            grant("auditor", "the grantee itself", .code(.permissionDenied)),
            grant("patient-1", "own patient", .ok),
            open("auditor", "rec-alpha", "TREAT", "consented (identity grant, lab)", .permit),
            open("auditor", "rec-mental", "TREAT", "consented for lab only", .deny),
            open("regulator-admin", "rec-alpha", "TREAT", "same org as an identity grantee", .deny),
            revoke("patient-2", "other patient", .code(.permissionDenied)),
            revoke("auditor", "the grantee", .code(.permissionDenied)),
            revoke("hospitala-admin", "admin of the patient's org", .code(.permissionDenied)),
            revoke("patient-1", "own patient", .ok),
            open("auditor", "rec-alpha", "TREAT", "consent revoked", .deny),
            revoke("patient-1", "already revoked", .code(.alreadyExists)),

            submit("patient-2", "RespondToAccessRequest", approveP1, "a patient answers for another", .code(.permissionDenied)),
            submit("researcher", "RespondToAccessRequest", approveP1, "the researcher answers for a patient", .code(.permissionDenied)),
            submit("dr-alice", "RespondToAccessRequest", approveP1, "clinician of the patient's org", .code(.permissionDenied)),
            submit("patient-1", "RespondToAccessRequest", approveP1, "same answer again", .code(.alreadyExists)),
            submit(
                "patient-2", "RespondToAccessRequest", ["studyID": Self.study, "patientID": "P-3", "decision": "approved"],
                "a patient answers for another org's patient", .code(.permissionDenied)),

            submit("dr-alice", "RequestAccess", requestAccess, "clinician", .code(.permissionDenied)),
            submit("patient-1", "RequestAccess", requestAccess, "patient", .code(.permissionDenied)),
            submit("auditor", "RequestAccess", requestAccess, "auditor", .code(.permissionDenied)),
            submit(
                "researcher", "RequestAccess", requestAccess.merging(["studyID": Self.study]) { $1 }, "study ID taken",
                .code(.alreadyExists)),

            submit("dr-alice", "StudyRecords", ["studyID": Self.study], "clinician", .code(.permissionDenied)),
            submit("auditor", "StudyRecords", ["studyID": Self.study], "auditor", .code(.permissionDenied)),
            submit("pharmaco-admin", "StudyRecords", ["studyID": Self.study], "admin of the requesting org", .code(.permissionDenied)),
            submit("patient-1", "StudyRecords", ["studyID": Self.study], "approving patient", .code(.permissionDenied)),
            submit(
                "researcher", "StudyRecords", ["studyID": Self.study], "its answer names patients: only the researcher's node runs it",
                .code(.permissionDenied)),
            submit(
                "researcher", "StudyRecords",
                ["studyID": Self.study, "researcher": ["mspID": "PharmaCoMSP", "enrollmentID": "researcher", "role": "researcher"]],
                "naming itself as the researcher", .code(.permissionDenied)),

            submit(
                "dr-bob", "RegisterPatient", ["patientID": "P-X", "certificate": certificate("patient-2")],
                "clinician registers another org's patient", .code(.permissionDenied)),
            submit(
                "researcher", "RegisterPatient", ["patientID": "P-X", "certificate": certificate("patient-2")], "researcher",
                .code(.permissionDenied)),
            submit(
                "patient-1", "RegisterPatient", ["patientID": "P-X", "certificate": certificate("patient-2")], "patient",
                .code(.permissionDenied)),
            submit(
                "auditor", "RegisterPatient", ["patientID": "P-X", "certificate": certificate("patient-2")], "auditor",
                .code(.permissionDenied)),
            submit(
                "dr-alice", "RegisterPatient", ["patientID": "P-Y", "certificate": certificate("patient-1")],
                "the patient is registered already", .code(.alreadyExists)),

            submit("patient-1", "AddRecord", addRecord, "patient", .code(.permissionDenied)),
            submit("researcher", "AddRecord", addRecord, "researcher", .code(.permissionDenied)),
            submit("hospitala-admin", "AddRecord", addRecord, "admin", .code(.permissionDenied)),
            submit("auditor", "AddRecord", addRecord, "auditor", .code(.permissionDenied)),

            submit("patient-2", "RequestErasure", ["recordID": "rec-alpha"], "other patient's record", .code(.permissionDenied)),
            submit("dr-alice", "RequestErasure", ["recordID": "rec-alpha"], "clinician of the author org", .code(.permissionDenied)),
            submit("hospitala-admin", "RequestErasure", ["recordID": "rec-alpha"], "admin of the author org", .code(.permissionDenied)),
            submit("hospitala-admin", "ApproveErasure", ["recordID": "rec-alpha"], "the patient never asked", .code(.notFound)),
            submit("dr-alice", "ApproveErasure", ["recordID": "rec-alpha"], "clinician of the author org", .code(.permissionDenied)),
            submit("hospitalb-admin", "ApproveErasure", ["recordID": "rec-alpha"], "admin of another org", .code(.permissionDenied)),
        ]
    }

    /// GetCustodian, DepositKeys, ReleaseKey and Export.
    func custodyRows() -> [MatrixRow] {
        let fresh = CID.of(Data("matrix \(UUID())".utf8), version: 1, codec: .raw)
        let alphaCID = fixture.cids["rec-alpha"] ?? ""
        let fixture = fixture
        let study = Self.study
        let consentTx = String(fixture.consentID.dropFirst(2))
        let release = { (caller: String, txID: String, state: String, expected: Observed) in
            row(caller, "ReleaseKey", state, expected) { [dev, inbox] in
                let released = try await dev.releaseKey(as: caller, txID)
                if caller == "researcher" { await inbox.keep(Data((released.recordID + released.cid).utf8), from: "ReleaseKey \(state)") }
                return .ok
            }
        }
        // Only the researcher's own organisation's node runs its export.
        let export = { (caller: String, studyID: String, state: String, expected: Observed, check: (@Sendable (Data) -> String?)?) in
            row(caller, "Export \(studyID)", state, expected, elsewhere: caller == "researcher" ? .code(.failedPrecondition) : nil) { [dev, inbox] in
                let export = try await dev.export(as: caller, study: studyID)
                if caller == "researcher" { await inbox.keep(export.received, from: "Export \(state)") }
                return check?(export.ndjson).map(Observed.wrong) ?? .ok
            }
        }
        // Keys are deposited at the depositor's own organisation's node, which keeps them.
        let deposit = { (caller: String, cid: CID, custodian: String, state: String, expected: Observed, elsewhere: Observed?) in
            rpc(caller, "DepositKeys \(cid)", state, expected, elsewhere: elsewhere) { [dev] in
                try await dev.depositKeys(as: caller, cid: cid, wrappedTo: custodian)
            }
        }
        let ownExport = Self.ndjson(lines: 2, without: ["\"2023", "\"2022"])
        return [
            rpc("researcher", "GetCustodian", "any member", .ok) { [dev] in
                _ = try await dev.withClient(as: "researcher") { client in
                    try await Medledger_V1_Records.Client(wrapping: client).getCustodian(.init(), options: callOptions())
                }
            },
            deposit("patient-1", fresh, "HospitalAMSP", "patient", .code(.permissionDenied), nil),
            deposit("researcher", fresh, "PharmaCoMSP", "researcher", .code(.permissionDenied), nil),
            deposit("auditor", fresh, "RegulatorMSP", "auditor", .code(.permissionDenied), nil),
            deposit("hospitala-admin", fresh, "HospitalAMSP", "admin", .code(.permissionDenied), nil),
            deposit("dr-alice", fresh, "HospitalBMSP", "key wrapped to another org's custodian", .code(.invalidArgument), .code(.failedPrecondition)),
            deposit("dr-alice", fresh, "HospitalAMSP", "clinician, key wrapped to own custodian", .ok, .code(.failedPrecondition)),
            deposit("dr-alice", fresh, "HospitalAMSP", "keys of this CID already deposited", .code(.alreadyExists), .code(.failedPrecondition)),
            deposit(
                "dr-bob", (try? CID(alphaCID)) ?? fresh, "HospitalBMSP", "another org's existing record (keys are written once)",
                .code(.alreadyExists), nil),

            release("dr-bob", fixture.bobPermitAlpha, "own permit", .ok),
            release("dr-bob", fixture.bobDenyBeta, "own deny decision", .code(.permissionDenied)),
            release("researcher", fixture.bobPermitAlpha, "another identity's permit", .code(.permissionDenied)),
            release("patient-1", fixture.bobPermitAlpha, "another identity's permit, on own record", .code(.permissionDenied)),
            release("hospitalb-admin", fixture.bobPermitAlpha, "a colleague's permit", .code(.permissionDenied)),
            release("patient-1", consentTx, "own GrantConsent transaction", .code(.invalidArgument)),
            release("researcher", fixture.studyBeforeErasure, "the StudyRecords its node ran for it", .code(.permissionDenied)),
            release("dr-bob", String(repeating: "0", count: 64), "no such transaction", .code(.notFound)),

            export("researcher", study, "P-1 approved, P-2 declined, P-3 silent", .ok, ownExport),
            export("researcher", "OTHER-STUDY", "a study nobody requested", .code(.notFound), nil),
            export("dr-alice", study, "clinician", .code(.permissionDenied), nil),
            export("auditor", study, "auditor", .code(.permissionDenied), nil),
            export("pharmaco-admin", study, "admin of the requesting org", .code(.permissionDenied), nil),
            export("patient-1", study, "approving patient", .code(.permissionDenied), nil),
        ]
    }

    /// PharmaCo and Regulator callers on `hospitals`, where their organisations are not members:
    /// PERMISSION_DENIED, worded exactly as for a channel that does not exist.
    func nonMemberRows() -> [MatrixRow] {
        let fixture = fixture
        let hidden = { (caller: String, action: String, call: @escaping @Sendable (String) async throws -> Void) in
            row(caller, "\(action) on hospitals", "not a member: learns nothing", .code(.permissionDenied)) {
                func refusal(_ channel: String) async -> RPCError? {
                    do { try await call(channel) } catch let error as RPCError { return error } catch { return nil }
                    return nil
                }
                guard let member = await refusal("hospitals"), let missing = await refusal("no-such-channel") else {
                    return .wrong("the call was not refused with a gRPC status")
                }
                let worded = missing.message.replacingOccurrences(of: "no-such-channel", with: "hospitals")
                guard member.code == missing.code, member.message == worded, !member.message.contains("P-H1") else {
                    return .wrong("'\(member.message)' differs from the refusal for a missing channel '\(missing.message)'")
                }
                return .code(member.code)
            }
        }
        let patient = matrixJSON(["patientID": "P-H1"])
        let query = { (caller: String, function: String, argument: String) in
            hidden(caller, function) { [dev] channel in _ = try await dev.evaluate(as: caller, function, argument, channel: channel) }
        }
        return [
            query("researcher", "GetPatient", patient),
            query("researcher", "ListRecords", patient),
            query("researcher", "ListAccessRequests", "{}"),
            hidden("researcher", "OpenRecord") { [dev] channel in
                _ = try await dev.submit(as: "researcher", "OpenRecord", matrixJSON(["recordID": "rec-alpha", "purpose": "HRESCH"]), channel: channel)
            },
            hidden("researcher", "StudyRecords") { [dev] channel in
                _ = try await dev.submit(as: "researcher", "StudyRecords", matrixJSON(["studyID": Self.study]), channel: channel)
            },
            hidden("researcher", "ReleaseKey") { [dev] channel in _ = try await dev.releaseKey(as: "researcher", fixture.researcherOpen, channel: channel) },
            hidden("researcher", "Export") { [dev] channel in
                _ = try await dev.export(as: "researcher", study: Self.study, channel: channel)
            },
            query("auditor", "ListAudit", patient),
            query("auditor", "ListConsents", patient),
            query("auditor", "GetPatient", patient),
            query("pharmaco-admin", "GetPatient", patient),
            query("pharmaco-admin", "ListRecords", patient),
            hidden("pharmaco-admin", "ShredKeys") { [dev] channel in _ = try await dev.shredKeys(as: "pharmaco-admin", "rec-alpha", channel: channel) },
            query("regulator-admin", "GetPatient", patient),
            query("regulator-admin", "ListAudit", patient),
            // Members of `hospitals` do see its patient: the refusals above are about membership.
            self.query("hospitalb-admin", "GetPatient", ["patientID": "P-H1"], "member of hospitals", .ok, channel: "hospitals"),
            self.query("patient-1", "ListAudit", ["patientID": "P-H1"], "own patient on hospitals", .ok, channel: "hospitals"),
        ]
    }

    /// The erasure of rec-epsilon, and what nobody may do with it afterwards.
    func erasureRows() -> [MatrixRow] {
        let fixture = fixture
        let study = Self.study
        let epsilon = ["recordID": "rec-epsilon"]
        let shred = { (caller: String, recordID: String, state: String, expected: Observed, keys: UInt32?) in
            row(caller, "ShredKeys \(recordID)", state, expected) { [dev] in
                let deleted = try await dev.shredKeys(as: caller, recordID)
                if let keys, deleted != keys { return .wrong("\(deleted) keys deleted, not \(keys)") }
                return .ok
            }
        }
        let release = { (caller: String, txID: String, state: String) in
            row(caller, "ReleaseKey", state, .code(.permissionDenied)) { [dev] in
                _ = try await dev.releaseKey(as: caller, txID)
                return .ok
            }
        }
        let withoutErased = Self.ndjson(lines: 1, without: ["\"2019", "\"2023", "\"2022"])
        return [
            shred("hospitala-admin", "rec-alpha", "record not erased", .code(.failedPrecondition), nil),
            submit("patient-2", "RequestErasure", epsilon, "other patient's record", .code(.permissionDenied)),
            submit("patient-1", "RequestErasure", epsilon, "own record", .ok),
            submit("patient-1", "RequestErasure", epsilon, "already requested", .code(.alreadyExists)),
            shred("hospitala-admin", "rec-epsilon", "erasure requested, not approved", .code(.failedPrecondition), nil),
            submit("hospitalb-admin", "ApproveErasure", epsilon, "admin of another org", .code(.permissionDenied)),
            submit("dr-alice", "ApproveErasure", epsilon, "clinician of the author org", .code(.permissionDenied)),
            submit("patient-1", "ApproveErasure", epsilon, "the patient", .code(.permissionDenied)),
            submit("auditor", "ApproveErasure", epsilon, "auditor", .code(.permissionDenied)),
            submit("hospitala-admin", "ApproveErasure", epsilon, "admin of the author org", .ok, check: Self.contains("\"erased\":true")),
            submit("hospitala-admin", "ApproveErasure", epsilon, "already erased", .code(.alreadyExists)),
            shred("dr-alice", "rec-epsilon", "clinician", .code(.permissionDenied), nil),
            shred("patient-1", "rec-epsilon", "the patient", .code(.permissionDenied), nil),
            shred("researcher", "rec-epsilon", "researcher", .code(.permissionDenied), nil),
            shred("auditor", "rec-epsilon", "auditor", .code(.permissionDenied), nil),
            shred("hospitala-admin", "rec-epsilon", "erased: key copies destroyed (by the node's enforcer or by this call)", .ok, nil),

            open("patient-1", "rec-epsilon", "TREAT", "erased, own record", .deny),
            open("patient-1", "rec-epsilon", "ETREAT", justification: "mine", "erased, own record, emergency", .deny),
            open("dr-alice", "rec-epsilon", "TREAT", "erased, author clinician", .deny),
            open("hospitala-admin", "rec-epsilon", "TREAT", "erased, admin of the author org", .deny),
            open("dr-bob", "rec-epsilon", "TREAT", "erased, consented clinician", .deny),
            open("dr-bob", "rec-epsilon", "ETREAT", justification: "cardiac arrest", "erased, break-glass", .deny),
            open("researcher", "rec-epsilon", "HRESCH", "erased, approving patient", .deny),
            release("dr-bob", fixture.bobPermitEpsilon, "permit obtained before the erasure"),
            release("patient-1", fixture.patientPermitEpsilon, "own permit obtained before the erasure"),
            row("researcher", "Export \(study)", "after the erasure", .ok, elsewhere: .code(.failedPrecondition)) { [dev, inbox] in
                let export = try await dev.export(as: "researcher", study: study)
                await inbox.keep(export.received, from: "Export after the erasure")
                return withoutErased(export.ndjson).map(Observed.wrong) ?? .ok
            },
            query(
                "patient-1", "ListRecords", ["patientID": "P-1"], "the erased record stays listed, marked", .ok,
                check: { payload in
                    let erased = try JSONDecoder().decode([RecordReference].self, from: payload).filter(\.erased).map(\.recordID)
                    return erased == ["rec-epsilon"] ? nil : "erased records: \(erased)"
                }),
        ]
    }
}
