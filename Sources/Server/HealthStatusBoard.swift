/// Whether a service is ready to take calls.
public enum ServingStatus: Sendable, Hashable {
    case serving
    case notServing
}

/// The serving status of every service the node hosts, and the watchers waiting for it to change.
///
/// The empty name `""` stands for the server as a whole. Once `shutDown()` has run every status is
/// `.notServing` for good, later `setStatus` calls are ignored, and every watch stream has finished,
/// so that long-lived Watch calls do not hold up a graceful shutdown.
public actor HealthStatusBoard {
    /// The name under which the server's overall health is reported.
    public static let overallService = ""

    private var statuses: [String: ServingStatus]
    private var watchers: [String: [UInt64: AsyncStream<ServingStatus?>.Continuation]] = [:]
    private var nextWatcherID: UInt64 = 0
    private var isShutDown = false

    /// Creates a board on which the server as a whole and each of `services` is serving.
    public init(serving services: [String] = []) {
        var statuses = [Self.overallService: ServingStatus.serving]
        for service in services {
            statuses[service] = .serving
        }
        self.statuses = statuses
    }

    /// The status of `service`, or nil if no status was ever set for it.
    public func status(of service: String) -> ServingStatus? {
        statuses[service]
    }

    /// A snapshot of every known service's status.
    public func allStatuses() -> [String: ServingStatus] {
        statuses
    }

    /// Records `status` for `service` and tells its watchers if it changed.
    public func setStatus(_ status: ServingStatus, for service: String) {
        guard !isShutDown else { return }
        update(service, to: status)
    }

    /// The status of `service` now and after each change; nil means the service is unknown.
    ///
    /// Only the newest status is buffered: a slow reader skips intermediate states, never the last.
    public func watch(_ service: String) -> AsyncStream<ServingStatus?> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ServingStatus?.self,
            bufferingPolicy: .bufferingNewest(1)
        )
        continuation.yield(statuses[service])
        if isShutDown {
            continuation.finish()
            return stream
        }
        let id = nextWatcherID
        nextWatcherID += 1
        watchers[service, default: [:]][id] = continuation
        continuation.onTermination = { _ in
            Task { await self.removeWatcher(id, of: service) }
        }
        return stream
    }

    /// Marks everything not serving, delivers that to the watchers, and ends their streams.
    public func shutDown() {
        guard !isShutDown else { return }
        for service in statuses.keys {
            update(service, to: .notServing)
        }
        isShutDown = true
        let finishing = watchers.values.flatMap(\.values)
        watchers = [:]
        for continuation in finishing {
            continuation.finish()
        }
    }

    private func update(_ service: String, to status: ServingStatus) {
        guard statuses[service] != status else { return }
        statuses[service] = status
        for continuation in watchers[service, default: [:]].values {
            continuation.yield(status)
        }
    }

    private func removeWatcher(_ id: UInt64, of service: String) {
        watchers[service]?[id] = nil
        if watchers[service]?.isEmpty == true {
            watchers[service] = nil
        }
    }
}
