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
            #expect(try await Self.create("a1", on: "ehr", dev: dev).status.result == .valid)
            #expect(try await dev.health("ledger/ehr") == .serving)

            Failpoints.arm(Failpoints.blockSync, under: data.appendingPathComponent("ledger/ehr"))
            defer { Failpoints.disarm(Failpoints.blockSync) }
            let txID = try await dev.ledger(as: "dr-alice") {
                try await $0.submitWithoutWaiting("asset", "CreateAsset", ["a2", #"{"owner":"alice","value":2}"#]).txID
            }
            let status = await #expect(throws: RPCError.self) { try await dev.ledger(as: "dr-alice") { try await $0.commitStatus(txID) } }
            #expect(status?.code == .unavailable)
            #expect(status?.message.contains("stopped committing") == true && status?.message.contains("fsync failed") == true, "\(String(describing: status))")
            #expect(status?.message.contains("restart the node") == true)

            #expect(try await eventually { try await dev.health("ledger/ehr") == .notServing })
            #expect(try await dev.health("ledger/hospitals") == .serving)
            let refused = await #expect(throws: RPCError.self) { try await Self.create("a3", on: "ehr", dev: dev) }
            #expect(refused?.code == .unavailable && refused?.message.contains("stopped committing") == true, "\(String(describing: refused))")

            // Reads go on, and the other channel commits as before.
            let read = try await dev.ledger(as: "dr-alice") { try await $0.evaluate("asset", "ReadAsset", ["a1"]) }
            #expect(read.status == 200)
            #expect(try await Self.create("h1", on: "hospitals", dev: dev).status.result == .valid)
            return txID
        }

        // Restarted: the channel recovers from its block store, where the block was written.
        // The first node's last references go with its tasks, a moment after it returned.
        #expect(try await eventually { (try? DataDirectoryLock(directory: data)) != nil }, "the stopped node still holds \(data.path)")
        try await withDevNetwork(in: data) { dev in
            let recovered = try await dev.ledger(as: "dr-alice") { try await $0.commitStatus(pending) }
            #expect(recovered.result == .valid)
            let serving = try await eventually { try await dev.health("ledger/ehr") == .serving }
            #expect(serving)
            let next = try await Self.create("a3", on: "ehr", dev: dev)
            #expect(next.status.result == .valid)
        }
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "\(verified.summary)")
    }

    static func create(_ id: String, on channel: String, dev: RunningDevNetwork) async throws
        -> LedgerGateway<HTTP2ClientTransport.Posix>.Committed
    {
        try await dev.ledger(as: "dr-alice", channel: channel) { try await $0.submit("asset", "CreateAsset", [id, #"{"owner":"alice","value":1}"#]) }
    }
}
