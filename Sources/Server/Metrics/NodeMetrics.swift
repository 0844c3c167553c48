public import Foundation
public import GRPCCore
public import Prometheus
public import Schema
internal import Synchronization

/// What a node counts and times, in Prometheus's registry (swift-prometheus), served as text by
/// `MetricsEndpoint`. Each node has its own registry rather than the process-wide swift-metrics
/// bootstrap, so that several nodes in one process (tests, `dev`) keep their numbers apart, and
/// every family carries HELP text, as `promtool check metrics` asks.
///
/// Handlers reach it through `NodeMetrics.current`, which `MetricsInterceptor` sets for each call.
public final class NodeMetrics: Sendable {
    /// The registry the endpoint renders.
    public let registry = PrometheusCollectorRegistry()

    /// The metrics of the call this task serves, if the node counts metrics.
    @TaskLocal public static var current: NodeMetrics?

    /// 1 ms to 10 s: a local read is milliseconds, an ordered write tens to hundreds.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    /// Transactions submitted through this node, by ID, with when: their commit here closes the
    /// submit-to-commit latency. Bounded; a transaction that never commits is dropped with the oldest.
    private let submitted = Mutex<[String: ContinuousClock.Instant]>([:])
    private static let submittedCapacity = 10_000

    public init() {
        // Families that exist before anything happens, so a scrape of an idle node shows them.
        _ = registry.makeCounter(name: "medledger_content_added_bytes_total", labels: [], help: Help.contentAdded)
        _ = registry.makeCounter(name: "medledger_content_served_bytes_total", labels: [], help: Help.contentServed)
    }

    // MARK: gRPC

    /// One call of `method` ended with `code` (nil: OK) after `duration`.
    func call(_ method: MethodDescriptor, endedWith code: RPCError.Code?, after duration: Duration) {
        let labels = [("service", method.service.fullyQualifiedService), ("method", method.method)]
        registry.makeCounter(name: "medledger_grpc_requests_total", labels: labels + [("code", Self.name(of: code))], help: Help.requests)
            .increment()
        registry.makeDurationHistogram(
            name: "medledger_grpc_request_duration_seconds", labels: labels, buckets: Self.latencyBuckets, help: Help.requestDuration
        ).record(duration)
    }

    /// A response stream of `method` opened (+1) or ended (-1).
    func stream(_ method: MethodDescriptor, change: Double) {
        registry.makeGauge(
            name: "medledger_grpc_open_streams", labels: [("service", method.service.fullyQualifiedService), ("method", method.method)],
            help: Help.openStreams
        ).increment(by: change)
    }

    // MARK: ledger

    /// A proposal for `channel` was endorsed here in `duration`.
    func endorsed(channel: String, after duration: Duration) {
        histogram("medledger_endorse_duration_seconds", channel: channel, help: Help.endorse).record(duration)
    }

    /// Transaction `txID` of `channel` was accepted for ordering `duration` after it was submitted here.
    func ordered(_ txID: String, channel: String, after duration: Duration, submittedAt start: ContinuousClock.Instant) {
        histogram("medledger_order_duration_seconds", channel: channel, help: Help.order).record(duration)
        submitted.withLock { pending in
            if pending.count >= Self.submittedCapacity, let oldest = pending.min(by: { $0.value < $1.value })?.key {
                pending.removeValue(forKey: oldest)
            }
            pending[txID] = start
        }
    }

    /// An orderer placed a broadcast transaction of `channel` in a final block `duration` after it arrived.
    func orderedInBlock(channel: String, after duration: Duration) {
        histogram("medledger_orderer_broadcast_duration_seconds", channel: channel, help: Help.broadcast).record(duration)
    }

    /// `block` of `channel` committed: its height, its transactions by validation code, and the
    /// submit-to-commit latency of those submitted through this node.
    public func committed(_ block: Medledger_V1_Block, transactionIDs: [String], channel: String) {
        let now = ContinuousClock.now
        registry.makeGauge(name: "medledger_block_height", labels: [("channel", channel)], help: Help.height)
            .set(Double((block.header?.number ?? 0) + 1))
        let codes = block.metadata?.validationCodes ?? []
        var byCode: [Medledger_V1_TxValidationCode: Int64] = [:]
        for code in codes { byCode[code, default: 0] += 1 }
        for (code, count) in byCode {
            registry.makeCounter(
                name: "medledger_transactions_total", labels: [("channel", channel), ("validation_code", code.protoName ?? "UNKNOWN")],
                help: Help.transactions
            ).increment(by: count)
        }
        let started = submitted.withLock { pending in
            transactionIDs.compactMap { pending.removeValue(forKey: $0) }
        }
        for start in started {
            histogram("medledger_commit_duration_seconds", channel: channel, help: Help.commit).record(start.duration(to: now))
        }
    }

    // MARK: content and keys

    func contentAdded(bytes: Int) {
        registry.makeCounter(name: "medledger_content_added_bytes_total", labels: [], help: Help.contentAdded).increment(by: Int64(bytes))
    }

    func contentServed(bytes: Int) {
        registry.makeCounter(name: "medledger_content_served_bytes_total", labels: [], help: Help.contentServed).increment(by: Int64(bytes))
    }

    /// A key release ended: "released", or "denied" with the refusal's status.
    func keyRelease(denied code: RPCError.Code?) {
        let labels = code.map { [("outcome", "denied"), ("code", Self.name(of: $0))] } ?? [("outcome", "released"), ("code", "OK")]
        registry.makeCounter(name: "medledger_key_releases_total", labels: labels, help: Help.keyReleases).increment()
    }

    /// The Prometheus text exposition (format 0.0.4) of everything counted so far.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    // MARK: helpers

    private func histogram(_ name: String, channel: String, help: String) -> DurationHistogram {
        registry.makeDurationHistogram(name: name, labels: [("channel", channel)], buckets: Self.latencyBuckets, help: help)
    }

    /// gRPC's canonical name of a status code: `OK`, `PERMISSION_DENIED`, …
    static func name(of code: RPCError.Code?) -> String {
        guard let code else { return "OK" }
        let number = Status.Code(code).rawValue
        return canonicalNames.indices.contains(number) ? canonicalNames[number] : "CODE_\(number)"
    }

    /// The names of gRPC status codes 0 to 16, as the gRPC specification spells them.
    private static let canonicalNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ]

    private enum Help {
        static let requests = "gRPC calls served, by service, method and status code."
        static let requestDuration = "Time from a gRPC call's arrival to its status, by service and method."
        static let openStreams = "Response streams open now (Deliver, Cat, Export, ChaincodeEvents, ...)."
        static let endorse = "Time to simulate and endorse a proposal here, remote endorsements included."
        static let order = "Time from Submit to the orderer's acceptance of the transaction."
        static let commit = "Time from Submit to the transaction's commit on this node."
        static let broadcast = "Orderer: time from a Broadcast's arrival to its transaction's place in a final block (etcd append included)."
        static let height = "Blocks this node has committed on the channel."
        static let transactions = "Committed transactions by validation code."
        static let contentAdded = "Bytes of files added through Content.Add (hash-only adds excluded)."
        static let contentServed = "Bytes of content streamed to clients (Content.Cat)."
        static let keyReleases = "ReleaseKey calls by outcome."
    }
}
