import ContentStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The repository's root directory, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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
