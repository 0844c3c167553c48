internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore

/// Every request passes here first. It answers 403 to a Host other than 127.0.0.1 or localhost
/// (DNS rebinding), 401 without the access token or a session cookie, 403 to a form without its
/// session's CSRF token or from another origin; it turns errors into pages and puts the security
/// headers on every response.
struct PortalGate: RouterMiddleware {
    typealias Context = PortalContext

    /// The largest request body read (a record upload).
    static let maxBody = 64 * 1024 * 1024
    /// Scripts, styles and images from the portal only; no framing, no plugins, forms post here.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    let sessions: PortalSessions
    let pages: PortalPages
    let logger: Logger

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await admit(request, context: context, next: next)
        } catch {
            response = refusalPage(for: error, of: request, csrfToken: "")
        }
        Self.secure(&response)
        return response
    }

    /// The error page of `error`; with the session's CSRF token, the signed-in layout.
    private func refusalPage(for error: any Error, of request: Request, csrfToken: String) -> Response {
        let refusal = PortalRefusal(error)
        if refusal.status == .internalServerError {
            logger.warning("portal request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        }
        return pages.errorPage(refusal, csrfToken: csrfToken)
    }

    private func admit(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        let host = request.head.authority ?? ""
        guard Self.isLoopbackHost(host) else {
            throw PortalRefusal.forbidden("the portal answers requests for 127.0.0.1 or localhost only, not \(host)")
        }
        if request.uri.path.hasPrefix("/assets/") { return try await next(request, context) }
        let cookieName = PortalSessions.cookieName(port: host.split(separator: ":").last.flatMap { Int($0) } ?? 80)
        if let token = request.uri.queryParameters["token"] {
            guard sessions.isAccessToken(String(token)) else { throw Self.unauthorized }
            // Into a cookie, and out of the address bar, the history and any Referer.
            // A path, never `//host/…` (which a browser would read as another site).
            let path = request.uri.path.hasPrefix("/") && !request.uri.path.hasPrefix("//") ? request.uri.path : "/"
            var response = Response(status: .seeOther, headers: [.location: path])
            response.setCookie(Cookie(name: cookieName, value: sessions.open(), path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        guard let cookie = request.cookies[cookieName], let csrf = sessions.csrfToken(ofSession: cookie.value) else {
            throw Self.unauthorized
        }
        var context = context
        context.csrfToken = csrf
        var request = request
        if request.method == .post {
            if let origin = request.headers[.origin], origin != "http://\(host)" {
                throw PortalRefusal.forbidden("a form from \(origin) may not be sent to this portal")
            }
            let body = try await request.collectBody(upTo: Self.maxBody)
            context.form = try PortalForm(body: Data(body.readableBytesView), contentType: request.headers[.contentType] ?? "")
            guard let sent = context.form["csrf"] ?? request.headers[.csrfToken], PortalSessions.constantTimeEqual(sent, csrf) else {
                throw PortalRefusal.forbidden("the form did not carry this session's CSRF token; reload the page and send it again")
            }
        }
        do {
            return try await next(request, context)
        } catch {
            return refusalPage(for: error, of: request, csrfToken: csrf)
        }
    }

    static let unauthorized = PortalRefusal(
        status: .unauthorized, title: "Sign in with the portal's link",
        message: "Open the URL that `medledger portal` printed (it carries the access token); this browser has no session.")

    static func isLoopbackHost(_ host: String) -> Bool {
        let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }) + "]" : String(host.split(separator: ":").first ?? "")
        return ["127.0.0.1", "localhost"].contains(name.lowercased())
    }

    static func secure(_ response: inout Response) {
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.crossOriginOpenerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    }
}

extension HTTPField.Name {
    static let csrfToken = HTTPField.Name("X-CSRF-Token")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
