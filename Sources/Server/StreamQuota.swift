public import GRPCCore
internal import Identity
internal import Schema
internal import Synchronization

/// At most `perIdentity` response streams open at once for one caller (its organisation and
/// enrollment ID), and
/// `perNode` for the node identities (peers, orderers) that pull blocks from each other; beyond
/// that, RESOURCE_EXHAUSTED naming the limit. With HTTP/2 flow control holding back what a client
/// does not read, this bounds what clients that open streams and never read can make the server
/// keep. Streams without a caller (health Watch) are bounded per connection by the transport's
/// `maxConcurrentStreams` (`MedLedgerServer.maxConcurrentStreams`).
struct StreamQuota: ServerInterceptor {
    static let perIdentity = 64
    static let perNode = 512

    /// The methods that answer with a stream that stays open as long as the client wants.
    static let streamingMethods: Set<String> = [
        "medledger.v1.Deliver/Blocks", "medledger.v1.Gateway/ChaincodeEvents", "medledger.v1.Gateway/SubmitStream",
        "medledger.v1.Content/Cat", "medledger.v1.Content/ExportCAR", "medledger.v1.Research/Export", "medledger.v1.Records/ReadContent",
    ]

    private let open = OpenStreams()

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        guard Self.streamingMethods.contains(method), let caller = CallerIdentity.current else { return try await next(request, context) }
        // One identity is one organisation's enrollment ID, whichever of its certificates it presents.
        let key = "\(caller.mspID)\u{0}\(caller.enrollmentID)"
        let limit = caller.role == .peer || caller.role == .orderer ? Self.perNode : Self.perIdentity
        guard open.take(key, limit: limit) else {
            throw RPCError(
                code: .resourceExhausted,
                message: "\(caller) already has \(limit) response streams open on this node (the limit per identity); close one first")
        }
        var response: StreamingServerResponse<Output>
        do { response = try await next(request, context) } catch {
            open.release(key)
            throw error
        }
        guard case .success(var contents) = response.accepted else {
            open.release(key)
            return response
        }
        let producer = contents.producer
        let open = open
        contents.producer = { writer in
            defer { open.release(key) }
            return try await producer(writer)
        }
        response.accepted = .success(contents)
        return response
    }
}

/// Open streams by caller.
private final class OpenStreams: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one more for `key` unless it already has `limit`.
    func take(_ key: String, limit: Int) -> Bool {
        counts.withLock { counts in
            guard counts[key, default: 0] < limit else { return false }
            counts[key, default: 0] += 1
            return true
        }
    }

    func release(_ key: String) {
        counts.withLock { counts in
            let left = counts[key, default: 1] - 1
            counts[key] = left > 0 ? left : nil
        }
    }
}
