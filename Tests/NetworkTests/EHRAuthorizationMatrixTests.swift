import Chaincode
import ContentStore
import Crypto
import Foundation
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import SwiftASN1
import Synchronization
import Testing
import Wire
import X509
internal import RecordCrypto
import EHRModel

/// What one call came to: a plain success, the ledger's decision of an audited read, or a gRPC
/// status. `wrong` is a success whose content breaks the row's promise (a leak, a wrong list).
enum Observed: Equatable, CustomStringConvertible {
    case ok
    case permit
    case deny
    case code(RPCError.Code)
    case wrong(String)

    var description: String {
        switch self {
        case .ok: "OK"
        case .permit: "permit"
        case .deny: "deny"
        case .code(let code): "\(code)"
        case .wrong(let why): "wrong: \(why)"
        }
    }
}

/// One row of the matrix: who calls what, in which state, and what must come of it.
struct MatrixRow: Sendable {
    var caller: String
    var action: String
    var state: String
    var expected: Observed
    /// Set while the Swift side is known to break this row; the row then records a known issue.
    var knownIssue: String?
    /// What must come of it instead when the caller calls another organisation's node, for the
    /// calls that only the caller's own organisation's node serves (key deposits, exports).
    var elsewhere: Observed?
    var call: @Sendable () async throws -> Observed

    var name: String { "\(caller) · \(action) · \(state)" }
}

/// The records of the fixture, by record ID: patient, category, author and content.
struct FixtureRecord: Sendable {
    var recordID: String
    var patientID: String
    var category: String
    var author: String
    var plaintext: Data
}

/// Everything a researcher was sent, to be searched byte for byte for non-approving patients' data.
actor ResearcherInbox {
    /// What the researcher received, and the request it answered when that request named
    /// identifiers itself (a refusal may quote what it was asked).
    private(set) var responses: [(what: String, bytes: Data, asked: String)] = []

    func keep(_ bytes: Data, from what: String, asked: String = "") {
        responses.append((what, bytes, asked))
    }
}

struct MatrixFailure: Error, CustomStringConvertible {
    var description: String
}

/// The health-record API's authorization over real mTLS on the development network: every
/// Records/Research RPC and every `ehr` function that touches patient data, called by each kind of
/// caller, for own and other patients, with and without consent, on a member and a non-member
/// channel. Each row names itself in its expectation.
@Suite("EHR authorization matrix over real mTLS", .timeLimit(.minutes(10)))
struct EHRAuthorizationMatrixTests {
    static let records: [FixtureRecord] = [
        FixtureRecord(
            recordID: "rec-alpha", patientID: "P-1", category: "lab", author: "dr-alice",
            plaintext: SampleRecords.observation(patient: "P-1", marker: "alpha")),
        FixtureRecord(
            recordID: "rec-mental", patientID: "P-1", category: "mental-health", author: "dr-alice",
            plaintext: Data("mental-health note about P-1, marker delta".utf8)),
        FixtureRecord(
            recordID: "rec-epsilon", patientID: "P-1", category: "lab", author: "dr-alice",
            plaintext: SampleRecords.observation(patient: "P-1", marker: "epsilon", date: "2019-07-08T08:00:00Z")),
        FixtureRecord(
            recordID: "rec-beta", patientID: "P-2", category: "lab", author: "dr-alice",
            plaintext: SampleRecords.observation(patient: "P-2", marker: "beta", date: "2023-01-02T08:00:00Z")),
        FixtureRecord(
            recordID: "rec-gamma", patientID: "P-3", category: "lab", author: "dr-bob",
            plaintext: SampleRecords.observation(patient: "P-3", marker: "gamma", date: "2022-05-06T08:00:00Z")),
    ]
    static let study = "GLU-MATRIX"

    @Test func everyCallerEveryActionEveryState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in try await Self.play(on: dev, label: "development network") }
    }

    /// Builds the fixture on `dev`, then checks every row and everything the researcher received.
    static func play(on dev: any MatrixTarget, label: String) async throws {
        let inbox = ResearcherInbox()
        let fixture = try await Fixture.make(on: dev, inbox: inbox)
        let calls = MatrixCalls(dev: dev, fixture: fixture, inbox: inbox)
        dev.beginRows()

        var count = 0
        let elsewhere = dev.callersAtOtherNodes
        count += await check(calls.queryRows(), "\(label): queries", inbox: inbox, elsewhere: elsewhere)
        count += await check(calls.readRows(), "\(label): audited reads", inbox: inbox, elsewhere: elsewhere)
        count += await check(calls.consentAndResearchRows(), "\(label): consent and research", inbox: inbox, elsewhere: elsewhere)
        count += await check(calls.custodyRows(), "\(label): key custody and export", inbox: inbox, elsewhere: elsewhere)
        count += await check(calls.nonMemberRows(), "\(label): non-member channel", inbox: inbox, elsewhere: elsewhere)
        count += await check(calls.erasureRows(), "\(label): erasure", inbox: inbox, elsewhere: elsewhere)

        // A researcher never receives a non-approving patient's data, nor any patient's ledger
        // ID, record CID or digest, in any field of any response or refusal, events included.
        await inbox.keep(try await dev.researcherEvents(), from: "ChaincodeEvents of ehr from block 0")
        let received = await inbox.responses
        #expect(received.count >= 8, "the researcher's responses were not all kept: \(received.map(\.what))")
        for (what, bytes, asked) in received {
            let text = String(decoding: bytes, as: UTF8.self)
            for forbidden in fixture.nonApprovingTraces where text.contains(forbidden) && !asked.contains(forbidden) {
                Issue.record("the researcher's \(what) contains \(forbidden) of a non-approving patient")
            }
            for forbidden in fixture.ledgerIdentifiers where text.contains(forbidden) && !asked.contains(forbidden) {
                Issue.record("the researcher's \(what) contains the ledger identifier \(forbidden)")
            }
        }
        #expect(count >= 190, "the matrix shrank to \(count) rows")
        print("EHR authorization matrix on the \(label): \(count) rows, \(received.count) researcher responses searched")
    }

    /// Asserts each row, named; returns how many rows there were. A researcher's refusals are kept
    /// in `inbox` too: their messages are bytes the researcher receives.
    static func check(_ rows: [MatrixRow], _ table: String, inbox: ResearcherInbox, elsewhere: Bool) async -> Int {
        for var row in rows {
            if elsewhere, let expected = row.elsewhere { row.expected = expected }
            let observed: Observed
            do { observed = try await row.call() } catch let error as RPCError {
                observed = .code(error.code)
                if row.caller == "researcher" { await inbox.keep(Data(error.message.utf8), from: "refusal of \(row.name)", asked: row.action) }
            } catch {
                observed = .wrong("\(error)")
            }
            let message = Comment(rawValue: "[\(table)] \(row.name): expected \(row.expected), got \(observed)")
            if let issue = row.knownIssue {
                withKnownIssue(Comment(rawValue: issue)) { #expect(observed == row.expected, message) }
            } else {
                #expect(observed == row.expected, message)
            }
        }
        return rows.count
    }
}

/// The state every row starts from: three patients, five records, one treatment consent, a study
/// that P-1 approved, P-2 declined and P-3 never answered, and the decisions later rows redeem.
struct Fixture: Sendable {
    var cids: [String: String]
    var digests: [String: String]
    /// P-1's consent to HospitalB (treatment, no mental-health), and its transaction.
    var consentID: String
    /// dr-bob's OpenRecord decisions: a permit of rec-alpha (consented) and a deny of rec-beta.
    var bobPermitAlpha: String
    var bobDenyBeta: String
    /// Permits of the record that will be erased, obtained before its erasure.
    var bobPermitEpsilon: String
    var patientPermitEpsilon: String
    /// The StudyRecords the node ran for the researcher's export before the erasure, and an
    /// OpenRecord of the researcher's.
    var studyBeforeErasure: String
    var researcherOpen: String

    /// Every patient's ledger ID, every record's CID and plaintext digest: none may reach the
    /// researcher, approving patients' included (the export names them by per-study pseudonyms).
    var ledgerIdentifiers: [String] {
        ["P-1", "P-2", "P-3"] + cids.values + digests.values
    }

    /// Strings that identify P-2's or P-3's data; none may reach the researcher.
    var nonApprovingTraces: [String] {
        var traces = ["P-2", "P-3", "patient-2", "patient-3", "rec-beta", "rec-gamma", "beta", "gamma", "\"2023", "\"2022"]
        for recordID in ["rec-beta", "rec-gamma"] {
            traces += [cids[recordID], digests[recordID]].compactMap { $0 }
        }
        return traces
    }

    static func make(on dev: any MatrixTarget, inbox: ResearcherInbox) async throws -> Fixture {
        let certificate = { (name: String) in Data(try dev.identity(name).loadCertificate().derBytes) }
        try await dev.records(as: "dr-alice") { alice in
            try await alice.registerPatient("P-1", certificateDER: try certificate("patient-1"))
            try await alice.registerPatient("P-2", certificateDER: try certificate("patient-2"))
        }
        _ = try await dev.records(as: "dr-bob") { try await $0.registerPatient("P-3", certificateDER: try certificate("patient-3")) }
        _ = try await dev.records(as: "dr-alice", channel: "hospitals") {
            try await $0.registerPatient("P-H1", certificateDER: try certificate("patient-1"))
        }
        var cids: [String: String] = [:]
        var digests: [String: String] = [:]
        for record in EHRAuthorizationMatrixTests.records {
            let added = try await dev.records(as: record.author) { author in
                try await author.addRecord(
                    .init(recordID: record.recordID, patientID: record.patientID, resourceType: "Observation", category: record.category),
                    plaintext: record.plaintext)
            }
            cids[record.recordID] = added.cid
            digests[record.recordID] = added.plaintextSHA256
        }
        let consent = try await dev.records(as: "patient-1") { patient in
            try await patient.grantConsent(ConsentDraft(
                patientID: "P-1", grantee: Grantee(kind: .organization, mspID: "HospitalBMSP"),
                provisions: [Provision(type: .deny, categories: ["mental-health"])]))
        }
        _ = try await dev.records(as: "researcher") {
            try await $0.requestAccess(studyID: EHRAuthorizationMatrixTests.study, categories: ["lab"], description: "glucose, matrix")
        }
        _ = try await dev.records(as: "patient-1") { try await $0.respond(toStudy: EHRAuthorizationMatrixTests.study, patientID: "P-1", approve: true) }
        _ = try await dev.records(as: "patient-2") { try await $0.respond(toStudy: EHRAuthorizationMatrixTests.study, patientID: "P-2", approve: false) }

        let (bobPermitAlpha, bobDenyBeta, bobPermitEpsilon) = try await dev.records(as: "dr-bob") { bob in
            let alpha = try await bob.openRecord("rec-alpha", purpose: "TREAT")
            let beta = try await bob.openRecord("rec-beta", purpose: "TREAT")
            let epsilon = try await bob.openRecord("rec-epsilon", purpose: "TREAT")
            try #require(alpha.decision.outcome == .permit && beta.decision.outcome == .deny && epsilon.decision.outcome == .permit)
            return (alpha.txID, beta.txID, epsilon.txID)
        }
        let patientPermitEpsilon = try await dev.records(as: "patient-1") { try await $0.openRecord("rec-epsilon", purpose: "TREAT") }
        try #require(patientPermitEpsilon.decision.outcome == .permit)
        let studyBeforeErasure = try await dev.export(as: "researcher", study: EHRAuthorizationMatrixTests.study)
        await inbox.keep(studyBeforeErasure.received, from: "Export before the erasure")
        let researcherOpen = try await dev.submit(
            as: "researcher", "OpenRecord", matrixJSON(["recordID": "rec-beta", "purpose": "HRESCH"]))
        await inbox.keep(researcherOpen.payload, from: "OpenRecord rec-beta HRESCH")
        return Fixture(
            cids: cids, digests: digests, consentID: consent.consentID, bobPermitAlpha: bobPermitAlpha, bobDenyBeta: bobDenyBeta,
            bobPermitEpsilon: bobPermitEpsilon, patientPermitEpsilon: patientPermitEpsilon.txID,
            studyBeforeErasure: studyBeforeErasure.txID, researcherOpen: researcherOpen.txID)
    }
}

/// The JSON argument of a contract call, keys sorted.
func matrixJSON(_ fields: [String: Any]) -> String {
    // The fields are literals of the tests; one that does not serialize is a bug of the test.
    String(decoding: (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
}

/// Raw calls as any demo identity: contract functions through the Gateway, Records and Research RPCs.
extension MatrixTarget {
    func evaluate(as caller: String, _ function: String, _ argument: String, channel: String = "ehr") async throws -> Data {
        try await records(as: caller, channel: channel) { try await $0.ledger.evaluate("ehr", function, [argument]).payload }
    }

    /// Submits and requires a VALID commit (a refusal at endorsement arrives as `RPCError`).
    func submit(as caller: String, _ function: String, _ argument: String, channel: String = "ehr") async throws
        -> (txID: String, payload: Data)
    {
        try await records(as: caller, channel: channel) { records in
            let committed = try await records.ledger.submit("ehr", function, [argument])
            guard committed.status.result == .valid else {
                throw MatrixFailure(description: "\(function) by \(caller) committed as \(committed.status.result)")
            }
            return (committed.txID, committed.response.payload)
        }
    }

    func releaseKey(as caller: String, _ txID: String, channel: String = "ehr") async throws -> Medledger_V1_ReleaseKeyResponse {
        try await withClient(as: caller) { client in
            var request = Medledger_V1_ReleaseKeyRequest()
            request.channelID = channel
            request.transactionID = txID
            return try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: callOptions())
        }
    }

    func shredKeys(as caller: String, _ recordID: String, channel: String = "ehr") async throws -> UInt32 {
        try await withClient(as: caller) { client in
            var request = Medledger_V1_ShredKeysRequest()
            request.channelID = channel
            request.recordID = recordID
            return try await Medledger_V1_Records.Client(wrapping: client).shredKeys(request, options: callOptions()).keysDeleted
        }
    }

    /// Deposits a fresh data key for `cid`, the organisation copy wrapped to `custodianMSP`'s custodian.
    func depositKeys(as caller: String, cid: CID, wrappedTo custodianMSP: String, channel: String = "ehr") async throws {
        try await withClient(as: caller) { client in
            let records = Medledger_V1_Records.Client(wrapping: client)
            var custodianRequest = Medledger_V1_GetCustodianRequest()
            custodianRequest.mspID = custodianMSP
            let custodian = try await records.getCustodian(custodianRequest, options: callOptions())
            let certificate = try Certificate(derEncoded: Array(custodian.certificate))
            guard let signing = P256.Signing.PublicKey(certificate.publicKey) else {
                throw MatrixFailure(description: "the custodian of \(custodianMSP) has no P-256 key")
            }
            let recipient = try P256.KeyAgreement.PublicKey(rawRepresentation: signing.rawRepresentation)
            let dataKey = SealedStream.newDataKey()
            var request = Medledger_V1_DepositKeysRequest()
            request.channelID = channel
            request.cid = cid.description
            request.patientKey = try KeyWrap.wrap(dataKey, to: recipient, record: cid)
            request.organizationKey = try KeyWrap.wrap(dataKey, to: recipient, record: cid)
            _ = try await records.depositKeys(request, options: callOptions())
        }
    }

    /// A study export as `caller`: the node's StudyRecords transaction, the NDJSON, and every
    /// message received, encoded.
    func export(as caller: String, study: String, channel: String = "ehr") async throws -> (txID: String, ndjson: Data, received: Data) {
        try await withClient(as: caller) { client in
            var request = Medledger_V1_ExportRequest()
            request.channelID = channel
            request.studyID = study
            return try await Medledger_V1_Research.Client(wrapping: client).export(
                request: ClientRequest(message: request), options: callOptions()
            ) { response in
                var txID = ""
                var ndjson = Data()
                var received = Data()
                for try await message in response.messages {
                    if !message.transactionID.isEmpty { txID = message.transactionID }
                    ndjson.append(message.ndjson)
                    received.append(message.serializedData())
                }
                return (txID, ndjson, received)
            }
        }
    }

    /// Every event of `ehr` the researcher receives from block 0 to the newest block, encoded.
    func researcherEvents() async throws -> Data {
        try await withClient(as: "researcher") { client in
            let gateway = Medledger_V1_Gateway.Client(wrapping: client)
            var request = Medledger_V1_ChaincodeEventsRequest()
            request.channelID = "ehr"
            request.chaincodeName = "ehr"
            var start = Medledger_V1_SeekPosition()
            start.position = .oldest(.init())
            request.startPosition = start
            var options = callOptions()
            options.timeout = .seconds(3)
            // The stream follows new blocks until the deadline: what came before it is the answer.
            let received = Mutex(Data())
            do {
                try await gateway.chaincodeEvents(request, options: options) { response in
                    for try await message in response.messages { received.withLock { $0.append(message.serializedData()) } }
                }
            } catch let error as RPCError where error.code == .deadlineExceeded {}
            return received.withLock { $0 }
        }
    }
}
