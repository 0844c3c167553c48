public import GRPCCore

/// Counts and times every call (status code included) and the response streams open, and makes
/// `NodeMetrics.current` available to the handler and its response stream for what only they
/// know (bytes, key releases, endorse and order latency).
struct MetricsInterceptor: ServerInterceptor {
    let metrics: NodeMetrics

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let started = ContinuousClock.now
        let method = context.descriptor
        let metrics = metrics
        var response: StreamingServerResponse<Output>
        do {
            response = try await NodeMetrics.$current.withValue(metrics) { try await next(request, context) }
        } catch {
            metrics.call(method, endedWith: Self.code(of: error), after: started.duration(to: .now))
            throw error
        }
        switch response.accepted {
        case .failure(let error):
            metrics.call(method, endedWith: Self.code(of: error), after: started.duration(to: .now))
        case .success(var contents):
            let producer = contents.producer
            contents.producer = { writer in
                metrics.stream(method, change: 1)
                defer { metrics.stream(method, change: -1) }
                do {
                    let trailers = try await NodeMetrics.$current.withValue(metrics) { try await producer(writer) }
                    metrics.call(method, endedWith: nil, after: started.duration(to: .now))
                    return trailers
                } catch {
                    metrics.call(method, endedWith: Self.code(of: error), after: started.duration(to: .now))
                    throw error
                }
            }
            response.accepted = .success(contents)
        }
        return response
    }

    /// The status a thrown error becomes (`StatusBoundary`, outside this interceptor, maps the rest).
    private static func code(of error: any Error) -> RPCError.Code {
        StatusMapping.rpcError(for: StatusBoundary.underlying(error)).code
    }
}
