public import Identity

/// The identity of the caller of the RPC being handled, set by `AuthenticationInterceptor` from the
/// mTLS client certificate. Nil for public methods. It is set both while the handler runs and while
/// a streaming response body is produced.
public enum CallerIdentity {
    @TaskLocal public static var current: Identity?
}
