internal import Crypto
internal import Foundation
internal import Identity
internal import Synchronization

/// The portal's secrets, like Jupyter's: a random access token printed once in the URL; a browser
/// that presents it gets a session (an HttpOnly, SameSite=Strict cookie) and a CSRF token that
/// every form carries. Nothing here is ever logged or written to disk.
final class PortalSessions: Sendable {
    /// The name of the session cookie of the portal on `port`: browsers share cookies between
    /// the ports of one host, so two portals of one machine (a patient's and a clinician's) must
    /// not overwrite each other's session.
    static func cookieName(port: Int) -> String { "medledger_portal_\(port)" }
    /// The most browsers signed in at once; the oldest session goes first.
    static let capacity = 32

    /// The access token of the printed URL.
    let accessToken: String
    private let sessions = Mutex<[(id: String, csrf: String)]>([])

    init(accessToken: String = PortalSessions.randomToken()) {
        self.accessToken = accessToken
    }

    /// 256 random bits as lowercase hex (cookie-safe and URL-safe).
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Hex.encode($0) }
    }

    /// True if `token` is the access token (compared in constant time).
    func isAccessToken(_ token: String) -> Bool {
        Self.constantTimeEqual(token, accessToken)
    }

    /// A new session for a browser that presented the access token: its cookie value.
    func open() -> String {
        let session = (id: Self.randomToken(), csrf: Self.randomToken())
        sessions.withLock { sessions in
            sessions.append(session)
            if sessions.count > Self.capacity { sessions.removeFirst(sessions.count - Self.capacity) }
        }
        return session.id
    }

    /// The CSRF token of the session whose cookie is `id`, or nil if there is no such session.
    func csrfToken(ofSession id: String) -> String? {
        sessions.withLock { sessions in sessions.first { Self.constantTimeEqual($0.id, id) }?.csrf }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
