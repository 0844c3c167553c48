public import Identity

/// The identity of the caller of the RPC being handled, set by `AuthenticationInterceptor` from the
/// mTLS client certificate. Nil for public methods. Handlers of unary and client-streaming RPCs read
/// it directly; a response-streaming handler must capture it before returning its response body.
public enum CallerIdentity {
    @TaskLocal public static var current: Identity?
}
