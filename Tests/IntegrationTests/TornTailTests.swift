import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Testing

/// A torn tail: `medledger serve` is killed (SIGKILL, so `blocks.sqlite-wal` stays as the crash
/// left it) and the last frame of that write-ahead log is cut in half, as a power loss would leave a
/// block whose sync the disk falsely reported. Restarted, the node keeps every complete block, drops
/// the torn one, rebuilds state that had already applied it, commits on from there, and
/// `ledger verify` passes.
@Suite("A torn block-store tail", .timeLimit(.minutes(3)))
struct TornTailTests {
    static let channel = "torn"

    @Test func recoveryKeepsEveryCompleteBlockDropsTheTornOneAndVerifies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.url.appending(path: "data")
        var node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "before", mspID: "TornOrgMSP")
        let admin = try TestUser(folder: node.admin)
        try await node.createChannel(Self.channel)
        var committed: [LedgerGateway<HTTP2ClientTransport.Posix>.Committed] = []
        for index in 0..<5 {
            committed.append(try await Self.put("k\(index)", node: node, as: admin))
        }
        #expect(committed.allSatisfy { $0.status.result == .valid })
        #expect(Set(committed.map(\.status.blockNumber)).count == committed.count, "each put in a block of its own")
        _ = await node.stop(SIGKILL)

        let wal = data.appending(path: "ledger/\(Self.channel)/blocks.sqlite-wal")
        let log = try Data(contentsOf: wal)
        try #require(log.count > 32, "blocks.sqlite-wal holds no frame after SIGKILL")
        let pageSize = log[8..<12].reduce(0) { $0 << 8 | Int($1) }
        let frame = 24 + pageSize
        let frames = (log.count - 32) / frame
        try #require(frames >= 2, "WAL of \(log.count) bytes, page size \(pageSize)")
        let handle = try FileHandle(forWritingTo: wal)
        try handle.truncate(atOffset: UInt64(32 + (frames - 1) * frame + frame / 2))
        try handle.close()

        node = try await NodeProcess(dataDirectory: data, logs: directory.url, name: "after", mspID: "TornOrgMSP")
        #expect(node.log.contains("state was ahead of the block store"), "\(node.log)")
        for earlier in committed.dropLast() {
            let status = try await Self.commitStatus(earlier.txID, node: node, as: admin)
            #expect(status.result == .valid && status.blockNumber == earlier.status.blockNumber)
        }
        let next = try await Self.put("k-after", node: node, as: admin)
        #expect(next.status.result == .valid)
        #expect(next.status.blockNumber == committed.last!.status.blockNumber, "the torn block's number is the next block's")
        let gone = await #expect(throws: RPCError.self, "the torn block's write is gone from state") {
            try await withClient(address: node.address, trusting: node.caCertificatePath, as: admin) { client in
                try await LedgerGateway(client: client, signer: admin.signer, channel: Self.channel, options: callOptions()).evaluate("asset", "Get", ["k4"])
            }
        }
        #expect(gone?.code == .notFound)
        let kept = try await withClient(address: node.address, trusting: node.caCertificatePath, as: admin) { client in
            try await LedgerGateway(client: client, signer: admin.signer, channel: Self.channel, options: callOptions()).evaluate("asset", "Get", ["k3"])
        }
        #expect(kept.payload == Data("value of k3".utf8))

        #expect(await node.stop(SIGTERM) == 0)
        let verified = try await verifyLedger(data)
        #expect(verified.status == 0, "\(verified.summary)")
        #expect(verified.standardOutput.contains("channel \(Self.channel): \(committed.last!.status.blockNumber + 1) blocks"), "\(verified.summary)")
    }

    static func put(_ key: String, node: NodeProcess, as user: TestUser) async throws -> LedgerGateway<HTTP2ClientTransport.Posix>.Committed {
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: user) { client in
            try await LedgerGateway(client: client, signer: user.signer, channel: channel, options: callOptions()).submit("asset", "Put", [key, "value of \(key)"])
        }
    }

    static func commitStatus(_ txID: String, node: NodeProcess, as user: TestUser) async throws -> Medledger_V1_CommitStatusResponse {
        try await withClient(address: node.address, trusting: node.caCertificatePath, as: user) { client in
            var request = Medledger_V1_CommitStatusRequest()
            request.transactionID = txID
            request.channelID = channel
            return try await Medledger_V1_Gateway.Client(wrapping: client).commitStatus(request, options: callOptions())
        }
    }
}
