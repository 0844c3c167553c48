import ContentStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The repository's root directory, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    /// With `inMemory`, under /dev/shm when it is there: thousands of small fixture files then put
    /// no metadata load on the disk, whose journal other tests' fsyncs wait behind.
    init(inMemory: Bool = false) throws {
        let memory = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = inMemory && FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("medledger-content-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }
}

/// Deterministic pseudo-random bytes (xorshift64*), so that failures reproduce.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = (seed &+ 1) &* 0x9E37_79B9_7F4A_7C15 | 1
    var bytes = [UInt8](repeating: 0, count: count)
    var index = 0
    while index < count {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        var word = state &* 2_685_821_657_736_338_717
        for _ in 0..<8 where index < count {
            bytes[index] = UInt8(truncatingIfNeeded: word)
            word >>= 8
            index += 1
        }
    }
    return Data(bytes)
}

/// Imports `data` with `options` into `store` (or only hashes it) in uneven pieces.
func importBytes(_ data: Data, options: ImportOptions, into sink: any BlockSink = DiscardingSink()) throws -> ImportResult {
    var importer = FileImporter(options: options, sink: sink)
    var start = data.startIndex
    var step = 1
    while start < data.endIndex {
        let end = min(start + step * 7919, data.endIndex)
        try importer.write(data[start..<end])
        start = end
        step = step % 5 + 1
    }
    return try importer.finish()
}

/// Reads a whole range through the reader.
func readAll(_ store: ContentStore, _ cid: CID, offset: UInt64 = 0, length: UInt64? = nil) async throws -> Data {
    var out = Data()
    try await store.reader.read(cid, offset: offset, length: length) { out.append($0) }
    return out
}

func hex(_ text: String) -> Data {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return Data(bytes)
}

/// Runs a command on PATH and returns its standard output; throws with stderr on failure.
func runTool(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ToolFailure(description: "\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: stderr, as: UTF8.self))")
    }
    return String(decoding: stdout, as: UTF8.self)
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` on a thread of its own, at the lowest CPU priority (nice 19), and waits for it
/// without holding a thread of Swift's cooperative pool (one per core: two here). Long synchronous
/// test work run directly would hold that pool, and run at normal priority it would take the CPU
/// from the in-process gRPC servers and child nodes of the suites running beside it: either way
/// their calls miss their 10 s deadlines on a loaded two-core machine.
func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            #if canImport(Glibc)
            // On Linux the nice value is per thread: 0 names the calling thread, not the process.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #endif
            continuation.resume(with: Result { try body() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
