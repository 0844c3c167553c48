import Foundation
import GRPCCore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /metrics` on a live development network: the Prometheus text exposition passes
/// `promtool check metrics`, and its counters move with the calls made.
@Suite("Prometheus metrics of a live node", .timeLimit(.minutes(3)))
struct MetricsEndpointTests {
    @Test func theExpositionPassesPromtoolAndCountsWhatHappens() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url, metricsPort: 0) { dev in
            let port = try #require(dev.node.metricsEndpoint?.port)
            let idle = try await Self.scrape(port)
            #expect(idle.value("medledger_content_added_bytes_total") == 0, "families exist before anything happens")

            // Two ordered writes, an upload and its download, and a key release that is refused.
            for index in 1...2 {
                let committed = try await dev.records(as: "dr-alice") { try await $0.ledger.submit("asset", "Put", ["metric-\(index)", "v"]) }
                #expect(committed.status.result == .valid)
            }
            let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let cid = try await dev.withClient(as: "dr-alice") { client in
                let content = Medledger_V1_Content.Client(wrapping: client)
                let added = try await content.add(options: callOptions()) { writer in
                    var options = Medledger_V1_AddRequest()
                    options.part = .options(Medledger_V1_AddOptions())
                    var chunk = Medledger_V1_AddRequest()
                    chunk.part = .chunk(payload)
                    try await writer.write(contentsOf: [options, chunk])
                }
                var cat = Medledger_V1_CatRequest()
                cat.cid = added.cid
                let served = try await content.cat(request: ClientRequest(message: cat), options: callOptions()) { response in
                    var bytes = 0
                    for try await message in response.messages { bytes += message.chunk.count }
                    return bytes
                }
                #expect(served == payload.count)
                return added.cid
            }
            #expect(!cid.isEmpty)
            let refused = await #expect(throws: RPCError.self) {
                try await dev.withClient(as: "dr-bob") { client in
                    var request = Medledger_V1_ReleaseKeyRequest()
                    request.channelID = "ehr"
                    request.transactionID = String(repeating: "ab", count: 32)
                    return try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: callOptions())
                }
            }
            #expect(refused?.code == .notFound)

            let busy = try await Self.scrape(port)
            let submits = ["service": "medledger.v1.Gateway", "method": "Submit", "code": "OK"]
            #expect(busy.value("medledger_grpc_requests_total", submits) == 2)
            #expect(busy.value("medledger_grpc_requests_total", ["method": "ReleaseKey", "code": "NOT_FOUND"]) == 1)
            #expect(busy.value("medledger_key_releases_total", ["outcome": "denied", "code": "NOT_FOUND"]) == 1)
            #expect(busy.value("medledger_content_added_bytes_total") == Double(payload.count))
            #expect(busy.value("medledger_content_served_bytes_total") == Double(payload.count))
            #expect(busy.value("medledger_grpc_request_duration_seconds_count", ["method": "Submit"]) == 2)
            for latency in ["medledger_endorse_duration_seconds_count", "medledger_order_duration_seconds_count", "medledger_commit_duration_seconds_count"] {
                #expect(busy.value(latency, ["channel": "ehr"]) == 2, "\(latency)")
            }
            let height = try await dev.withClient(as: "auditor") { try await ChannelHeight.current(client: $0, channel: "ehr", options: callOptions()) }
            #expect(busy.value("medledger_block_height", ["channel": "ehr"]) == Double(height))
            #expect((busy.value("medledger_transactions_total", ["channel": "ehr", "validation_code": "TX_VALIDATION_CODE_VALID"]) ?? 0) >= 2)
            #expect(busy.value("medledger_grpc_open_streams", ["method": "Cat"]) == 0, "the Cat stream closed")

            // A scrape is read by promtool as Prometheus would.
            try await requireTool(["promtool", "--version"], install: "apt-get install prometheus")
            let file = directory.url.appendingPathComponent("metrics.txt")
            try Data(busy.text.utf8).write(to: file)
            let check = try await runProcess(["sh", "-c", "promtool check metrics < '\(file.path)'"])
            #expect(check.status == 0, "promtool check metrics:\n\(check.summary)")

            // Only /metrics, only GET and HEAD.
            #expect(try await Self.status(port, path: "/other") == 404)
            #expect(try await Self.status(port, path: "/metrics", method: "POST") == 405)
        }
    }

    /// One scrape of the node's endpoint, checked to be Prometheus text.
    static func scrape(_ port: Int) async throws -> PrometheusScrape {
        let scrape = try await PrometheusScrape.fetch(port: port)
        #expect(scrape.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        return scrape
    }

    static func status(_ port: Int, path: String, method: String = "GET") async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
