public import Foundation
internal import GRPCNIOTransportHTTP2
public import GRPCCore
public import Identity

/// Turns each call's mTLS client certificate into an `Identity` (via `Membership`) and authorizes
/// the call with an `AuthorizationTable`, before any handler runs.
///
/// Missing, unknown, expired or revoked certificates get UNAUTHENTICATED; a valid identity without
/// an allowed role gets PERMISSION_DENIED; methods absent from the table are denied to everyone.
public struct AuthenticationInterceptor: ServerInterceptor {
    public let table: AuthorizationTable
    /// The current membership (reloaded per call so that revocations apply at once).
    public let membership: @Sendable () throws -> Membership
    public let clock: @Sendable () -> Date
    /// Client certificates already verified against their root, so repeated calls skip the ECDSA check.
    private let signatures = VerifiedSignatureCache()

    public init(
        table: AuthorizationTable = .standard,
        membership: @escaping @Sendable () throws -> Membership,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.table = table
        self.membership = membership
        self.clock = clock
    }

    public func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.fullyQualifiedMethod
        guard let access = table.access(for: method) else {
            throw RPCError(code: .permissionDenied, message: "\(method) is not open to any caller (no authorization rule)")
        }
        if access == .publicAccess {
            return try await next(request, context)
        }
        let identity = try authenticate(context: context, method: method)
        if case .roles(let allowed) = access, !allowed.contains(identity.role) {
            let names = allowed.compactMap(\.certificateName).sorted().joined(separator: " or ")
            throw RPCError(
                code: .permissionDenied,
                message: "\(method) requires role \(names); \(identity) has role \(identity.role.certificateName ?? "none")"
            )
        }
        var response = try await CallerIdentity.$current.withValue(identity) {
            try await next(request, context)
        }
        // A streaming response body runs after `next` returns: carry the identity into it too.
        if case .success(var contents) = response.accepted {
            let producer = contents.producer
            contents.producer = { writer in
                try await CallerIdentity.$current.withValue(identity) { try await producer(writer) }
            }
            response.accepted = .success(contents)
        }
        return response
    }

    private func authenticate(context: ServerContext, method: String) throws -> Identity {
        guard let certificate = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate else {
            throw RPCError(code: .unauthenticated, message: "\(method) requires a client certificate (mTLS); none was presented")
        }
        do {
            return try membership().validate(certificate, at: clock(), signatures: signatures)
        } catch {
            throw StatusMapping.rpcError(for: error)
        }
    }
}
