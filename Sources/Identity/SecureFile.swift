internal import AtomicFiles
public import Foundation

/// Identity, CA and TLS files through `AtomicFile`: modes exact from the first byte (keys 0600,
/// never wider even for an instant), readers see a file whole or not at all.
public enum SecureFile {
    /// Creates `path` (and parents) with mode 0700 if it does not exist.
    public static func makeDirectory(_ path: String) throws {
        do { try AtomicFile.makeDirectory(path, mode: 0o700) } catch { throw FileError.cannotCreateDirectory(path: path, reason: error.reason) }
    }

    /// Replaces `path` with `text`, mode `mode`.
    public static func save(_ text: String, to path: String, mode: UInt32) throws {
        do { try AtomicFile.replace(path, with: Data(text.utf8), mode: mode) } catch { throw FileError.cannotWrite(path: path, reason: error.reason) }
    }

    /// Why a file could not be written.
    public enum FileError: Error, CustomStringConvertible {
        case cannotCreateDirectory(path: String, reason: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotCreateDirectory(let path, let reason): "cannot create directory \(path): \(reason)"
            case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
            }
        }
    }
}
