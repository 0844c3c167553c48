internal import AtomicFiles
internal import Foundation

/// The content store's files through `AtomicFile`, with its failures as `ContentError.io` (or
/// `.diskFull` when the file system is full: the temporary file is gone and nothing was replaced).
/// Blocks and pins are not secret (they are ciphertext or public); wrapped keys are, and say so.
enum DurableFile {
    static func write(_ data: Data, to path: String, mode: UInt32 = 0o644) throws(ContentError) {
        do { try AtomicFile.replace(path, with: data, mode: mode) } catch { throw error.isDiskFull ? .diskFull(path: error.path) : .io(path: error.path, reason: error.reason) }
    }

    static func syncDirectory(_ directory: String) {
        AtomicFile.syncDirectory(directory)
    }

    static func createDirectory(_ path: String, mode: UInt32 = 0o755) throws(ContentError) {
        do { try AtomicFile.makeDirectory(path, mode: mode) } catch { throw error.isDiskFull ? .diskFull(path: error.path) : .io(path: error.path, reason: error.reason) }
    }
}
