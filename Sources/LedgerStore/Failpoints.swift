public import Foundation
internal import Synchronization

/// Named faults that tests inject into the storage layer (in the manner of etcd's failpoints):
/// armed in-process with `arm(_:under:)` for the stores under one directory (so tests running
/// beside it are untouched), or for every store of a node process with the environment variable
/// `MEDLEDGER_FAILPOINTS` (names separated by commas). An armed failpoint fires on every pass until
/// it is disarmed. Nothing arms one in normal operation.
public enum Failpoints {
    /// After a block's write, report that syncing `blocks.sqlite` failed, as an `fsync` error would:
    /// the block may or may not be durable, and the caller must not carry on as if it were.
    public static let blockSync = "blocks.sync"

    /// Armed failpoints and the directory each is limited to ("/" for all).
    private static let armed = Mutex<[String: String]>(
        Dictionary((ProcessInfo.processInfo.environment["MEDLEDGER_FAILPOINTS"] ?? "").split(separator: ",").map { (String($0), "/") }) { first, _ in first })

    /// Arms `name` for the stores in `directory` and below.
    public static func arm(_ name: String, under directory: URL) {
        armed.withLock { $0[name] = directory.standardizedFileURL.path }
    }

    public static func disarm(_ name: String) {
        _ = armed.withLock { $0.removeValue(forKey: name) }
    }

    static func fires(_ name: String, at directory: String) -> Bool {
        guard let scope = armed.withLock({ $0[name] }) else { return false }
        return scope == "/" || directory == scope || directory.hasPrefix(scope.hasSuffix("/") ? scope : scope + "/")
    }
}
