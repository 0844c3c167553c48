internal import Foundation

/// The resident memory and open file descriptors of a running process, read from `/proc`, so a
/// soak reports the node's own footprint rather than the load generator's.
struct ProcessSample: Sendable, Codable {
    /// Seconds since the load started.
    let at: Double
    let residentBytes: UInt64
    let openFiles: Int

    /// Process `pid` now; nil once it has exited.
    static func take(pid: Int32, at seconds: Double) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").compactMap({ UInt64($0) }).first,
            let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        else { return nil }
        return ProcessSample(at: seconds, residentBytes: kilobytes * 1024, openFiles: files.count)
    }
}
