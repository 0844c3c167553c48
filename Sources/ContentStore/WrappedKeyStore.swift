public import Foundation
internal import Wire

/// Wrapped data keys on disk, one file per (record, reader):
/// `<root>/<record CID>/<reader id>.hpke`. Deleting a record's directory is crypto-shredding:
/// once no wrapped copy remains, nobody can recover the data key and the ciphertext is noise.
public struct WrappedKeyStore: Sendable {
    public let root: URL
    private static let shredding = NSLock()

    public init(root: URL) throws(ContentError) {
        self.root = root
        try DurableFile.createDirectory(root.path, mode: 0o700)
        // A store made before keys were written 0600 keeps its files, but nobody else can reach them.
        chmod(root.path, 0o700)
    }

    public func save(_ wrapped: Data, record: CID, reader: String) throws(ContentError) {
        try Self.validate(reader)
        let directory = root.appendingPathComponent(record.description)
        try DurableFile.createDirectory(directory.path, mode: 0o700)
        // Wrapped data keys are key material: readable by the node alone.
        try DurableFile.write(wrapped, to: directory.appendingPathComponent("\(reader).hpke").path, mode: 0o600)
    }

    public func load(record: CID, reader: String) throws(ContentError) -> Data {
        try Self.validate(reader)
        let path = root.appendingPathComponent(record.description).appendingPathComponent("\(reader).hpke").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyUnwrapFailed("no wrapped key for reader \(QuotedInput.quote(reader)) of record \(record)")
        }
        return data
    }

    /// True if any wrapped copy of the record's key is stored.
    public func hasAnyCopy(of record: CID) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(record.description).path)) ?? []
        return names.contains { $0.hasSuffix(".hpke") }
    }

    /// Deletes every wrapped copy of a record's key; returns how many there were.
    @discardableResult
    public func shred(record: CID) throws(ContentError) -> Int {
        // Shreds are rare; one at a time in the process, so racing shredders (the erasure
        // enforcer, a ShredKeys call) never interleave their deletions of one directory.
        Self.shredding.lock()
        defer { Self.shredding.unlock() }
        let directory = root.appendingPathComponent(record.description)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        do {
            if FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.removeItem(at: directory)
            }
        } catch {
            // Another shredder (the node's erasure enforcer, a ShredKeys call) may have removed
            // it first: only a directory still there is a failure.
            if FileManager.default.fileExists(atPath: directory.path) {
                throw .io(path: directory.path, reason: "cannot shred: \(error.localizedDescription)")
            }
            return 0
        }
        DurableFile.syncDirectory(root.path)
        return names.count
    }

    private static func validate(_ reader: String) throws(ContentError) {
        let allowed = reader.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !reader.isEmpty, allowed, !reader.hasPrefix(".") else {
            throw .invalidOptions("reader id \(QuotedInput.quote(reader)) must be letters, digits, '-', '_' or '.'")
        }
    }
}
