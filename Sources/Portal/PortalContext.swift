internal import Hummingbird
internal import Logging

/// The request context of the portal: the browser's session once the gate let it in, and the
/// submitted form (decoded once, CSRF-checked).
struct PortalContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The session's CSRF token, which every form the page renders carries.
    var csrfToken = ""
    var form = PortalForm()

    init(source: Source) {
        coreContext = .init(source: source)
    }

    /// Large enough for a record upload; forms are read by the gate with this limit.
    var maxUploadSize: Int { PortalGate.maxBody }
}
