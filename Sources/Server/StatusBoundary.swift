public import GRPCCore
internal import Logging
internal import Wire

/// The outermost interceptor of every node: whatever a handler or a streaming body throws reaches
/// the client as a deliberate status — domain errors through `StatusMapping`, anything else as
/// INTERNAL and logged, since it is a bug — never as UNKNOWN with an empty message. Every status
/// message is cut to `messageLimit` bytes with control and invisible characters escaped: a status
/// trailer never echoes a megabyte of caller input (which clients refuse to read).
struct StatusBoundary: ServerInterceptor {
    static let messageLimit = 512

    let logger: Logger

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        var response: StreamingServerResponse<Output>
        do { response = try await next(request, context) } catch { throw status(for: error, method: method) }
        switch response.accepted {
        case .failure(let error):
            response.accepted = .failure(status(for: error, method: method))
        case .success(var contents):
            let producer = contents.producer
            contents.producer = { writer in
                do { return try await producer(writer) } catch { throw status(for: error, method: method) }
            }
            response.accepted = .success(contents)
        }
        return response
    }

    /// What a handler threw: GRPCCore wraps what a unary handler throws as UNKNOWN with an empty
    /// message and the error as its cause.
    static func underlying(_ error: any Error) -> any Error {
        if let wrapped = error as? RPCError, wrapped.code == .unknown, wrapped.message.isEmpty, let cause = wrapped.cause {
            return cause
        }
        return error
    }

    private func status(for error: any Error, method: String) -> RPCError {
        let underlying = Self.underlying(error)
        var status = StatusMapping.rpcError(for: underlying)
        if status.code == .internalError || status.code == .unknown {
            logger.error("\(method) failed", metadata: ["error": "\(String(reflecting: status.cause ?? underlying))"])
        } else if status.code == .resourceExhausted, let cause = status.cause {
            logger.warning("\(method) refused", metadata: ["error": "\(cause)"])
        }
        status.message = QuotedInput.bounded(status.message, limit: Self.messageLimit)
        return status
    }
}
