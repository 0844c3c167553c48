internal import GRPCCore

/// Streams that follow a chain wait for new blocks without end. gRPC does not cancel a handler's
/// task when the client goes away, a deadline passes or the server begins shutting down: it
/// signals the RPC's cancellation handle. Without this, a follower whose client left (or a live
/// one at shutdown) would wait forever and hold up the server's graceful shutdown.
enum FollowingStreams {
    /// Runs `operation` in a task that is cancelled when gRPC cancels the RPC or the caller's
    /// task is cancelled.
    static func untilRPCCancelled<Result: Sendable>(_ operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let task = Task { try await operation() }
        return try await withRPCCancellationHandler {
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        } onCancelRPC: {
            task.cancel()
        }
    }
}
