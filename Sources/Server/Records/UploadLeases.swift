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
    /// One upload's lease.
    struct Lease: Codable, Equatable {
        /// The lease's end, in seconds since 1970.
        var expires: Int64
        /// Whether collecting it unpins the content too: not when the content was pinned before
        /// the upload began (pinned for good by other means), then only the keys are shredded.
        var unpin: Bool
    }

    /// CID → its lease.
    private let leases: Mutex<[String: Lease]>

    /// The leases recorded at `path` (none if it does not exist).
    public init(path: String, grace: TimeInterval) throws {
        self.path = path
        self.grace = grace
        if let data = FileManager.default.contents(atPath: path) {
            leases = Mutex(try JSONDecoder().decode([String: Lease].self, from: data))
        } else {
            leases = Mutex([:])
        }
    }

    /// Starts (or extends) the lease of `cid` for `grace` from `now`. `contentPinnedBefore` says
    /// the content was already pinned when the upload began; the first call of an upload decides.
    public func hold(_ cid: CID, contentPinnedBefore: Bool, now: Date = Date()) throws {
        let end = Int64(now.addingTimeInterval(grace).timeIntervalSince1970.rounded(.up))
        try update { leases in
            let unpin = leases[cid.description]?.unpin ?? !contentPinnedBefore
            leases[cid.description] = Lease(expires: max(leases[cid.description]?.expires ?? 0, end), unpin: unpin)
        }
    }

    /// The CIDs whose lease ended before `now`, and whether collecting each unpins its content.
    func expired(now: Date = Date()) -> [(cid: CID, unpin: Bool)] {
        let seconds = Int64(now.timeIntervalSince1970)
        return leases.withLock { $0.filter { $0.value.expires < seconds }.sorted { $0.key < $1.key } }
            .compactMap { entry in (try? CID(entry.key)).map { ($0, entry.value.unpin) } }
    }

    /// Whether `cid` is under a lease.
    public func isHeld(_ cid: CID) -> Bool {
        leases.withLock { $0[cid.description] != nil }
    }

    /// Ends the lease of `cid`: a record references it, or it was collected.
    public func release(_ cid: CID) throws {
        try update { $0.removeValue(forKey: cid.description) }
    }

    private func update(_ change: (inout [String: Lease]) -> Void) throws {
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
