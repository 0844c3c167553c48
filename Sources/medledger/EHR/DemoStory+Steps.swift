internal import Chaincode
internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit

/// The story's network step and its plumbing: each identity at its node, caught up first.
extension DemoStory {
    /// HospitalA's peer stops; dr-bob, consented by patient-3, still opens the record HospitalA
    /// wrote about them from HospitalB's replica and key copy; HospitalA's peer restarts and catches up.
    func playOutage(record: String, plaintext: Data, patientID: String) async throws {
        step("HospitalA's node goes down; dr-bob still opens the visit HospitalA wrote about patient-3")
        let consent = try await acting("patient-3") { patient in
            try await patient.grantConsent(ConsentDraft(patientID: patientID, grantee: Grantee(kind: .organization, mspID: "HospitalBMSP")))
        }
        done("patient-3 grants HospitalB treatment access (\(consent.consentID))")
        if let outage = nodes.outage {
            await outage.stop()
            done("\(outage.node) stopped")
        } else {
            done("one node serves every organisation here: nothing to stop (on `network up` HospitalA's peer stops)")
        }
        let opened = try await acting("dr-bob") { try await $0.openRecord(record, purpose: "TREAT") }
        try expect(opened.decision.outcome == .permit && opened.plaintext == plaintext, "dr-bob should open \(record) without HospitalA's node")
        let server = nodes.isSingleNode ? "" : "; \(try nodes.endpoint(of: "dr-bob").node) served its replica and released its own key copy"
        done("PERMITTED — \(opened.decision.rule)\(server)")
        if let outage = nodes.outage {
            try await outage.start()
            let height = try await client(as: "dr-alice") { try await ChannelHeight.current(client: $0, channel: "ehr") }
            done("\(outage.node) restarted and caught up: ehr at height \(height)")
        }
        try await acting("patient-3") { try await $0.revokeConsent(consent.consentID, of: patientID) }
        done("patient-3 revokes that access again")
    }

    // MARK: - Plumbing

    @discardableResult
    func acting<Result: Sendable>(
        _ name: String, _ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let signer = try nodes.identities.identity(name).loadSigner()
        return try await client(as: name) { client in
            do {
                return try await body(HealthRecords(client: client, signer: signer))
            } catch let error as RPCError {
                throw DemoFailure("as \(name): \(error.code): \(error.message)")
            } catch let error as HealthRecordsError {
                throw DemoFailure("as \(name): \(error)")
            }
        }
    }

    func client<Result: Sendable>(
        as name: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let endpoint = try nodes.endpoint(of: name)
        return try await NodeConnectionOptions.withNodeClient(address: endpoint.address, trusting: endpoint.trust, identity: nodes.identities.identity(name)) { client in
            try await catchUp(client, endpoint)
            let result = try await body(client)
            if !nodes.isSingleNode { try await seen.note(client, channels: ["ehr"]) }
            return result
        }
    }

    /// Waits until the node of `endpoint` has committed every `ehr` block an earlier step saw,
    /// so that each step reads what the previous ones wrote, whichever node wrote it.
    func catchUp(_ client: GRPCClient<HTTP2ClientTransport.Posix>, _ endpoint: DemoNodes.Endpoint) async throws {
        guard !nodes.isSingleNode else { return }
        var options = CallOptions.defaults
        options.timeout = .seconds(60)
        do {
            try await seen.catchUp(client, channels: ["ehr"], options: options)
        } catch let error as RPCError where error.code == .deadlineExceeded {
            throw DemoFailure("\(endpoint.node) did not reach ehr height \(seen.height(of: "ehr")) within 60 s")
        }
    }

    func certificate(_ name: String) throws -> Data {
        Data(try nodes.identities.identity(name).loadCertificate().derBytes)
    }

    func step(_ text: String) { print("\n▶ \(text)") }
    func done(_ text: String) { print("  ✓ \(text)") }

    func expect(_ condition: Bool, _ failure: String) throws {
        guard condition else { throw DemoFailure(failure) }
    }
}

/// The notice a watcher found.
final class NoticeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: BreakGlassNotice?
    var notice: BreakGlassNotice? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// A step of the demo did not behave as the story says.
struct DemoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
