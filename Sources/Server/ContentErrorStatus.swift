internal import ContentStore
internal import GRPCCore

/// The one place content-store errors become gRPC status codes.
enum ContentErrorStatus {
    static func code(for error: ContentError) -> RPCError.Code {
        switch error {
        case .invalidCID, .invalidMultihash, .invalidVarint, .invalidChunker, .invalidOptions, .invalidCAR,
            .hashMismatch, .rangeOutOfBounds:
            .invalidArgument
        case .blockNotFound, .notPinned: .notFound
        case .invalidNode: .failedPrecondition
        case .corruptBlock: .dataLoss
        case .keyUnwrapFailed: .permissionDenied
        case .io: .internalError
        case .diskFull: .resourceExhausted
        }
    }

    /// The status of a content error, as `StatusMapping` gives it; other errors pass unchanged.
    static func rpcError(_ error: any Error) -> any Error {
        error is ContentError ? StatusMapping.rpcError(for: error) : error
    }

    static func map<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw rpcError(error) }
    }

    static func mapAsync<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch { throw rpcError(error) }
    }
}
