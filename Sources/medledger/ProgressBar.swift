internal import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A one-line progress bar on standard error, shown only on a terminal and only for inputs of
/// 16 MiB or more, so that scripts and small adds see nothing but the CID.
final class ProgressBar: @unchecked Sendable {
    private let total: UInt64
    private let enabled: Bool
    private var lastPercent = -1

    init(path: URL) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path.path)[.size] as? NSNumber)?.uint64Value ?? 0
        total = size
        enabled = isatty(STDERR_FILENO) == 1 && size >= 16 << 20
    }

    func update(_ done: UInt64) {
        guard enabled, total > 0 else { return }
        let percent = Int(done * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 40 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 40 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)%".utf8))
    }

    func finish() {
        if enabled && lastPercent >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
