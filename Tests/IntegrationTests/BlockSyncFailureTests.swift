import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import LedgerStore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing

/// PostgreSQL's lesson about fsync: when syncing the block store fails, the node must not carry on
/// as if the block were durable. With the `blocks.sync` failpoint armed for one channel, that
/// channel stops taking transactions (UNAVAILABLE naming the failure), reports NOT_SERVING on the
/// health service as `ledger/<channel>`, keeps serving reads, and leaves other channels alone; a
/// restart recovers the channel from its block store and the waiting transaction is there.
@Suite("A failed block-store sync", .timeLimit(.minutes(5)))
struct BlockSyncFailureTests {
    @Test func theChannelStopsSaysWhyAndRecoversFromItsBlockStoreOnRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url
        let pending: String = try await withDevNetwork(in: data) { dev in
            let alice = try dev.user("dr-alice")
            #expect(try await Self.create("a1", on: "ehr", dev: dev, alice: alice).status.result == .valid)
            #expect(try await Self.health("ledger/ehr", dev: dev) == .serving)

            Failpoints.arm(Failpoints.blockSync, under: data.appendingPathComponent("ledger/ehr"))
            defer { Failpoints.disarm(Failpoints.blockSync) }
            let txID = try await dev.withClient(as: "dr-alice") { client in
                let gateway = Medledger_V1_Gateway.Client(wrapping: client)
                let (signed, txID) = try TransactionProposal.make(
                    channel: "ehr", chaincode: "asset", function: "CreateAsset",
                    args: [Data("a2".utf8), Data(#"{"owner":"alice","value":2}"#.utf8)], signer: alice.signer)
                let endorsed = try await gateway.endorse(TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr"), options: callOptions())
                _ = try await gateway.submit(TransactionProposal.submitRequest(endorsed, txID: txID, channel: "ehr", signer: alice.signer), options: callOptions())
                return txID
            }
            let status = await #expect(throws: RPCError.self) { try await Self.commitStatus(txID, dev: dev) }
            #expect(status?.code == .unavailable)
            #expect(status?.message.contains("stopped committing") == true && status?.message.contains("fsync failed") == true, "\(String(describing: status))")
            #expect(status?.message.contains("restart the node") == true)

            #expect(try await Self.eventually { try await Self.health("ledger/ehr", dev: dev) == .notServing })
            #expect(try await Self.health("ledger/hospitals", dev: dev) == .serving)
            let refused = await #expect(throws: RPCError.self) { try await Self.create("a3", on: "ehr", dev: dev, alice: alice) }
            #expect(refused?.code == .unavailable && refused?.message.contains("stopped committing") == true, "\(String(describing: refused))")

            // Reads go on, and the other channel commits as before.
            let read = try await dev.withClient(as: "dr-alice") { client in
                try await LedgerGateway(client: client, signer: alice.signer, channel: "ehr", options: callOptions()).evaluate("asset", "ReadAsset", ["a1"])
            }
            #expect(read.status == 200)
            #expect(try await Self.create("h1", on: "hospitals", dev: dev, alice: alice).status.result == .valid)
            return txID
        }

        // Restarted: the channel recovers from its block store, where the block was written.
        // The first node's last references go with its tasks, a moment after it returned.
        #expect(try await Self.eventually { (try? DataDirectoryLock(directory: data)) != nil }, "the stopped node still holds \(data.path)")
        try await withDevNetwork(in: data) { dev in
            let alice = try dev.user("dr-alice")
            #expect(try await Self.commitStatus(pending, dev: dev).result == .valid)
            #expect(try await Self.eventually { try await Self.health("ledger/ehr", dev: dev) == .serving })
            #expect(try await Self.create("a3", on: "ehr", dev: dev, alice: alice).status.result == .valid)
        }
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "\(verified.summary)")
    }

    static func create(_ id: String, on channel: String, dev: RunningDevNetwork, alice: TestUser) async throws
        -> LedgerGateway<HTTP2ClientTransport.Posix>.Committed
    {
        try await dev.withClient(as: "dr-alice") { client in
            try await LedgerGateway(client: client, signer: alice.signer, channel: channel, options: callOptions())
                .submit("asset", "CreateAsset", [id, #"{"owner":"alice","value":1}"#])
        }
    }

    static func commitStatus(_ txID: String, dev: RunningDevNetwork) async throws -> Medledger_V1_CommitStatusResponse {
        try await dev.withClient(as: "dr-alice") { client in
            var request = Medledger_V1_CommitStatusRequest()
            request.transactionID = txID
            request.channelID = "ehr"
            return try await Medledger_V1_Gateway.Client(wrapping: client).commitStatus(request, options: callOptions())
        }
    }

    /// The status the node's health service reports for `service`, asked over gRPC.
    static func health(_ service: String, dev: RunningDevNetwork) async throws -> Grpc_Health_V1_HealthCheckResponse.ServingStatus {
        try await dev.withClient(as: "dr-alice") { client in
            var request = Grpc_Health_V1_HealthCheckRequest()
            request.service = service
            return try await Grpc_Health_V1_Health.Client(wrapping: client).check(request, options: callOptions()).status
        }
    }

    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<50 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}
