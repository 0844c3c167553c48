internal import GRPCCore
public import Identity

/// The identity of the caller of the RPC being handled, set by `AuthenticationInterceptor` from the
/// mTLS client certificate. Nil for public methods. It is set both while the handler runs and while
/// a streaming response body is produced.
public enum CallerIdentity {
    @TaskLocal public static var current: Identity?

    /// The caller, for handlers of methods that are not public; UNAUTHENTICATED if there is none.
    static func required() throws -> Identity {
        guard let identity = current else {
            throw RPCError(code: .unauthenticated, message: "this call requires an authenticated caller (a client certificate)")
        }
        return identity
    }
}
