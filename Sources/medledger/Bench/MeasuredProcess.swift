internal import Foundation
#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A child process run to completion with its wall time and peak resident set size, taken from
/// the kernel (`wait4`'s rusage), so a benchmark can report a peer's or a subcommand's memory
/// honestly rather than its own.
struct MeasuredProcess {
    var status: Int32
    var standardOutput: String
    var seconds: Double
    /// Peak RSS in bytes (`ru_maxrss`).
    var maximumResidentBytes: UInt64

    /// Runs `arguments` (`arguments[0]` looked up on PATH), stdout captured in a file, stderr inherited.
    static func run(_ arguments: [String]) throws -> MeasuredProcess {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-bench-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let start = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let elapsed = ContinuousClock.now - start
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return MeasuredProcess(
            status: exitStatus,
            standardOutput: (try? String(contentsOf: output, encoding: .utf8)) ?? "",
            seconds: elapsed.seconds,
            maximumResidentBytes: UInt64(usage.ru_maxrss) * 1024
        )
    }
}

/// A benchmark that could not run as asked.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
