public import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An exclusive lock on a node's data directory (`DIR/.lock`, `flock`), held while the node is
/// open: two processes writing one ledger, key store and content store would corrupt them. The
/// kernel releases it when the process dies, however it dies.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock, or throws naming the process that holds it.
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DataDirectoryLockError(directory: directory, reason: .cannotOpen(path: path, reason: String(cString: strerror(errno))))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var holder = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &holder, holder.count, 0)
            close(descriptor)
            let pid = count > 0 ? String(decoding: holder[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw DataDirectoryLockError(directory: directory, reason: .held(pid: pid))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Why a data directory could not be locked.
public struct DataDirectoryLockError: Error, CustomStringConvertible {
    public enum Reason: Sendable {
        case cannotOpen(path: String, reason: String)
        /// Another process holds the lock; `pid` is what it wrote into the lock file ("?" if nothing).
        case held(pid: String)
    }

    public let directory: URL
    public let reason: Reason

    public var description: String {
        switch reason {
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .held(let pid): "\(directory.path) is in use by another MedLedger node (pid \(pid)); stop it or give another --data"
        }
    }
}
