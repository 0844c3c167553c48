internal import AtomicFiles
public import ContentStore
public import Foundation
internal import Synchronization

/// The uploads not yet referenced by a committed record: each CID whose content was added
/// provisionally (`AddOptions.provisional`) or whose keys were deposited, with the time its lease
/// runs out. A client that dies between Content.Add, DepositKeys and `AddRecord` leaves content and
/// wrapped keys that no record references; `UploadCollector` removes them once their lease is
/// over. Kept in one JSON file (mode 0600) replaced atomically, so leases survive a restart.
public final class UploadLeases: Sendable {
    /// How long an upload may take from its first call to its `AddRecord` commit.
    public let grace: TimeInterval
    private let path: String
    /// CID → the lease's end, in seconds since 1970.
    private let leases: Mutex<[String: Int64]>

    /// The leases recorded at `path` (none if it does not exist).
    public init(path: String, grace: TimeInterval) throws {
        self.path = path
        self.grace = grace
        if let data = FileManager.default.contents(atPath: path) {
            leases = Mutex(try JSONDecoder().decode([String: Int64].self, from: data))
        } else {
            leases = Mutex([:])
        }
    }

    /// Starts (or extends) the lease of `cid` for `grace` from `now`.
    public func hold(_ cid: CID, now: Date = Date()) throws {
        let end = Int64(now.addingTimeInterval(grace).timeIntervalSince1970.rounded(.up))
        try update { $0[cid.description] = max($0[cid.description] ?? 0, end) }
    }

    /// The CIDs whose lease ended before `now`.
    public func expired(now: Date = Date()) -> [CID] {
        let seconds = Int64(now.timeIntervalSince1970)
        return leases.withLock { $0.filter { $0.value < seconds }.keys.sorted() }.compactMap { try? CID($0) }
    }

    /// Whether `cid` is under a lease.
    public func isHeld(_ cid: CID) -> Bool {
        leases.withLock { $0[cid.description] != nil }
    }

    /// Ends the lease of `cid`: a record references it, or it was collected.
    public func release(_ cid: CID) throws {
        try update { $0.removeValue(forKey: cid.description) }
    }

    private func update(_ change: (inout [String: Int64]) -> Void) throws {
        try leases.withLock { leases in
            var next = leases
            change(&next)
            guard next != leases else { return }
            try AtomicFile.makeDirectory((path as NSString).deletingLastPathComponent, mode: 0o700)
            try AtomicFile.replace(path, with: try JSONEncoder().encode(next), mode: 0o600)
            leases = next
        }
    }
}
