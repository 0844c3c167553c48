public import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Crash-safe file replacement with an exact mode: the one way MedLedger writes a file that must
/// survive a crash whole (pins, blocks, wrapped keys, identities, CA files). The bytes go to a
/// temporary file beside the target, created with `mode` and set to it exactly whatever the umask
/// (so a key is never readable by others, even for an instant), fsynced, renamed over the target;
/// then the directory is fsynced. A reader sees the old bytes or the new, never a mix.
public enum AtomicFile {
    /// Replaces `path` with `bytes`, mode `mode` (e.g. 0o600 for key material).
    public static func replace(_ path: String, with bytes: Data, mode: UInt32) throws(AtomicFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else { throw AtomicFileError(path: path, failing: "create a temporary file", errno) }
        var failure: (operation: String, code: Int32)?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = ("write", errno)
                    return
                }
                offset += written
            }
        }
        // The umask can only narrow the creation mode; fchmod makes it exact.
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 { failure = ("set the mode of", errno) }
        if failure == nil, fsync(descriptor) != 0 { failure = ("fsync", errno) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = ("rename over", errno) }
        if let failure {
            unlink(temporary)
            throw AtomicFileError(path: path, failing: failure.operation, failure.code)
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Creates `path` and its missing parents with `mode` (0o700 for directories of secrets).
    public static func makeDirectory(_ path: String, mode: UInt32) throws(AtomicFileError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: NSNumber(value: mode)])
        } catch {
            throw AtomicFileError(path: path, reason: "cannot create the directory: \(error.localizedDescription)", code: nil)
        }
    }

    /// Makes a directory's entries (a rename, an unlink) durable; best effort.
    public static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Darwin)
        Darwin.write(descriptor, pointer, count)
        #else
        Glibc.write(descriptor, pointer, count)
        #endif
    }
}

/// Why a file could not be written: the path, and what failed with the system's reason.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    /// The `errno` value where a system call failed (ENOSPC for a full disk).
    public let code: Int32?

    init(path: String, reason: String, code: Int32?) {
        self.path = path
        self.reason = reason
        self.code = code
    }

    init(path: String, failing operation: String, _ code: Int32) {
        self.init(path: path, reason: "\(operation): \(String(cString: strerror(code)))", code: code)
    }

    public var description: String { "cannot write \(path): \(reason)" }

    /// Whether the write failed because the file system is full (ENOSPC) or over quota (EDQUOT).
    public var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
}
