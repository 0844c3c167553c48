public import Foundation

/// A fresh directory for one test, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    /// With `inMemory`, under /dev/shm when it is there: thousands of small fixture files then put
    /// no metadata load on the disk, whose journal other tests' fsyncs wait behind.
    public init(inMemory: Bool = false) throws {
        let memory = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = inMemory && FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("medledger-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `data` to `name` (parents created) and returns its URL.
    @discardableResult
    public func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }
}
