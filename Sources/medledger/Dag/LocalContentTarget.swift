internal import ArgumentParser
internal import ContentStore
internal import Foundation
internal import Server

/// A data directory's content store, opened in this process under the directory's lock, so that a
/// `dag` command never writes a store that a running node owns (nor a node starts on it meanwhile).
final class LocalContentTarget: ContentTarget {
    private var lock: DataDirectoryLock?
    private let store: ContentStore

    init(dataDirectory: URL) throws {
        do {
            lock = try DataDirectoryLock(directory: dataDirectory)
        } catch let error as DataDirectoryLockError {
            guard case .held(let pid) = error.reason else { throw error }
            throw DagCommandError(
                "\(dataDirectory.path) is in use by a running MedLedger node (pid \(pid)); "
                    + "send this command to it instead: --server HOST:PORT --identity DIR (in place of --data)")
        }
        store = try ContentStore(directory: ServerConfiguration(dataDirectory: dataDirectory).contentDirectory)
    }

    /// Releases the directory's lock; the target must not be used afterwards.
    func release() { lock = nil }

    func add(_ url: URL, options: ImportOptions, pin: Bool, progress: @escaping @Sendable (UInt64) -> Void) async throws -> CID {
        try store.add(url: url, options: options, pin: pin, progress: progress).cid
    }

    func cat(_ cid: CID, offset: UInt64, length: UInt64?, emit: @escaping @Sendable (Data) async throws -> Void) async throws {
        try await store.reader.read(cid, offset: offset, length: length, emit: emit)
    }

    func stat(_ cid: CID) async throws -> DagStat { try store.stat(cid) }

    func pin(_ cid: CID, recursive: Bool) async throws { try store.pin(cid, recursive: recursive) }

    func unpin(_ cid: CID, recursive: Bool) async throws { try store.unpin(cid, recursive: recursive) }

    func pins() async throws -> [Pin] { store.pins() }

    func collectGarbage(dryRun: Bool) async throws -> GCResult { try store.collectGarbage(dryRun: dryRun) }

    func exportCAR(_ root: CID, emit: @escaping @Sendable (Data) async throws -> Void) async throws {
        try await store.exportCAR(roots: [root], emit: emit)
    }

    func importCAR(_ url: URL, pinRoots: Bool) async throws -> (roots: [CID], blocks: Int) {
        try await store.importCAR(try filePieces(url, pieceSize: 1 << 20), pinRoots: pinRoots)
    }
}
