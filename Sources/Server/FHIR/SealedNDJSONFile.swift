internal import Crypto
internal import Foundation
internal import RecordCrypto

/// One output file of a bulk export, written encrypted at rest: NDJSON lines sealed as they come
/// (AES-256-GCM segments, `SealedStream`) under the job's key, which only the node's memory holds.
/// A copy of the file, or the disk of a node that crashed, reveals nothing.
final class SealedNDJSONFile {
    let path: String
    private let handle: FileHandle
    private var writer: SealingWriter
    /// Lines written so far.
    private(set) var count = 0

    /// Creates `path` (mode 0600) for lines sealed under `key`.
    init(path: String, key: SymmetricKey) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        self.path = path
        self.handle = handle
        self.writer = SealingWriter(key: key, format: try SealedStream())
    }

    /// Appends `line` and a newline.
    func append(_ line: Data) throws {
        try handle.write(contentsOf: try writer.write(line + [0x0A]))
        count += 1
    }

    /// Seals the last segment, syncs and closes the file.
    func finish() throws {
        try handle.write(contentsOf: try writer.finish().sealed)
        try handle.synchronize()
        try handle.close()
    }

    /// Sends the plaintext of the sealed file at `path` to `emit`, piece by piece.
    static func read(_ path: String, key: SymmetricKey, emit: (Data) async throws -> Void) async throws {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let length = try handle.seekToEnd()
        let reader = SealedStreamReader(key: key, sealedLength: length) { offset, count in
            try handle.seek(toOffset: offset)
            return try handle.read(upToCount: Int(count)) ?? Data()
        }
        try await reader.plaintext(emit: emit)
    }
}
