internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import HTTPTypes
internal import Hummingbird
internal import MedLedgerKit
internal import NIOCore

/// Live break-glass alerts for the patient's pages, as Server-Sent Events. Each stream lasts a
/// short while (so stopping the portal never waits on an open page) and tells the browser where
/// it stopped (`id:` = the next block to read), so the reconnection resumes there and no alert
/// between two streams is lost.
struct BreakGlassFeed<Transport: ClientTransport>: Sendable {
    /// How long one stream stays open before the browser reconnects.
    static var streamLifetime: Duration { .seconds(15) }

    let records: HealthRecords<Transport>
    let patientID: String
    let client: GRPCClient<Transport>

    func response(resumingAfter lastEventID: String?) async throws -> Response {
        let start: UInt64
        if let lastEventID, let block = UInt64(lastEventID) {
            start = block
        } else {
            start = try await ChannelHeight.current(client: client, channel: records.ledger.channel)
        }
        let records = records
        let patientID = patientID
        let body = ResponseBody { writer in
            let (events, continuation) = AsyncStream<String>.makeStream()
            let watcher = Task {
                try? await records.watchBreakGlass(patientID: patientID, fromBlock: start) { alert in
                    continuation.yield(Self.event(alert))
                    return true
                }
                continuation.finish()
            }
            let timer = Task {
                try? await Task.sleep(for: Self.streamLifetime)
                continuation.finish()
            }
            defer {
                watcher.cancel()
                timer.cancel()
            }
            try await writer.write(ByteBuffer(string: "retry: 1000\nid: \(start)\n\n"))
            for await event in events { try await writer.write(ByteBuffer(string: event)) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    /// One `breakglass` event; its ID is the block after the alert's.
    static func event(_ alert: BreakGlassAlert) -> String {
        let notice = alert.notice
        let payload: [String: String] = [
            "reader": "\(notice.reader.role) \(notice.reader.enrollmentID)@\(notice.reader.mspID)", "recordID": notice.recordID,
            "justification": notice.justification, "expires": PortalFormat.time(notice.expiresAt), "txID": alert.txID,
        ]
        let json = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "event: breakglass\nid: \(alert.blockNumber + 1)\ndata: \(json)\n\n"
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
