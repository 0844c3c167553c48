internal import AtomicFiles
internal import Foundation
internal import Synchronization

/// The `jti` of every client assertion accepted and not yet expired, so that none is accepted
/// twice (RFC 7523 §3, SMART Backend Services). Kept on disk (mode 0600, replaced atomically
/// before the token is issued), so a restart does not reopen the window; an assertion's `exp` is
/// at most five minutes ahead, so the file stays small.
final class AssertionReplayGuard: Sendable {
    private let path: String
    /// "clientID jti" → expiry (seconds since 1970).
    private let seen: Mutex<[String: Int64]>

    /// Opens the record at `path`; an unreadable one is started afresh.
    init(path: String) {
        self.path = path
        let saved = (try? Data(contentsOf: URL(fileURLWithPath: path))).flatMap { try? JSONDecoder().decode([String: Int64].self, from: $0) }
        seen = Mutex(saved ?? [:])
    }

    /// Records `jti` of `clientID` until `expires`; false if it was seen before (a replay).
    /// Throws if the record cannot be saved, and then accepts nothing.
    func accept(jti: String, of clientID: String, expires: Int64, now: Date = Date()) throws -> Bool {
        let key = "\(clientID) \(jti)"
        let nowSeconds = Int64(now.timeIntervalSince1970)
        return try seen.withLock { seen in
            seen = seen.filter { $0.value >= nowSeconds }
            guard seen[key] == nil else { return false }
            var next = seen
            next[key] = expires
            let bytes = try JSONEncoder().encode(next)
            try AtomicFile.makeDirectory((path as NSString).deletingLastPathComponent, mode: 0o700)
            try AtomicFile.replace(path, with: bytes, mode: 0o600)
            seen = next
            return true
        }
    }
}
