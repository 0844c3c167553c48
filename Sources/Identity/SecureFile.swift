import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Writes files whose mode is exact from the first byte (keys get 0600, never wider even for an
/// instant) and that readers see either whole or not at all.
public enum SecureFile {
    /// Creates `path` (and parents) with mode 0700 if it does not exist.
    public static func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw FileError.cannotCreateDirectory(path: path, reason: "\(error)")
        }
    }

    /// Writes through a temporary file created with `mode`, then renames it over `path`.
    public static func save(_ text: String, to path: String, mode: UInt32) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard descriptor >= 0 else {
            throw FileError.cannotWrite(path: temporary, errno: errno)
        }
        var failure: Int32?
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        // The umask can only narrow the creation mode; fchmod makes the mode exact.
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 { failure = errno }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw FileError.cannotWrite(path: path, errno: failure)
        }
    }

    /// Why a file could not be written.
    public enum FileError: Error, CustomStringConvertible {
        case cannotCreateDirectory(path: String, reason: String)
        case cannotWrite(path: String, errno: Int32)

        public var description: String {
            switch self {
            case .cannotCreateDirectory(let path, let reason):
                "cannot create directory \(path): \(reason)"
            case .cannotWrite(let path, let code):
                "cannot write \(path): \(String(cString: strerror(code)))"
            }
        }
    }
}
