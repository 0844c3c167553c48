public import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A long-running child of the local network (an etcd member, a MedLedger node): started in a
/// process group of its own (Foundation's `Process` does that), so that it outlives the command that
/// started it and a terminal's signals do not reach it; its output is appended to a log file and
/// its process ID written to a pid file, so that `network down` and tests can signal it.
public struct DaemonProcess: Sendable {
    /// The executable's absolute path, then its arguments.
    public var arguments: [String]
    /// Where standard output and standard error are appended.
    public var logFile: URL
    /// Where the running child's process ID is kept.
    public var pidFile: URL

    public init(arguments: [String], logFile: URL, pidFile: URL) {
        self.arguments = arguments
        self.logFile = logFile
        self.pidFile = pidFile
    }

    /// Starts the child unless the pid file names one that is still running; returns its pid.
    @discardableResult
    public func start(environment: [String: String] = [:]) throws -> Int32 {
        if let running = runningPID() { return running }
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        try log.seekToEnd()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let pid = process.processIdentifier
        try "\(pid)\n".write(to: pidFile, atomically: true, encoding: .utf8)
        return pid
    }

    /// The pid in the pid file if that process is alive (and not a zombie).
    public func runningPID() -> Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            pid > 0, kill(pid, 0) == 0
        else { return nil }
        if let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = status.lastIndex(of: ")"), status[status.index(after: close)...].hasPrefix(" Z")
        {
            return nil
        }
        return pid
    }

    /// Sends `signal` to the running child; false if none runs.
    @discardableResult
    public func send(_ signal: Int32) -> Bool {
        guard let pid = runningPID() else { return false }
        return kill(pid, signal) == 0
    }

    /// Sends SIGTERM, waits up to `grace` for the child to exit, then SIGKILLs it; removes the pid file.
    public func stop(grace: Duration = .seconds(5)) async {
        if send(SIGTERM) {
            let deadline = ContinuousClock.now + grace
            while runningPID() != nil, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            send(SIGCONT)
            send(SIGKILL)
            while runningPID() != nil, ContinuousClock.now < deadline + .seconds(5) {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try? FileManager.default.removeItem(at: pidFile)
    }

    /// Waits until the child accepts connections on 127.0.0.1:`port`. Throws, naming `name`, the
    /// log file and its last lines, as soon as the child has exited or once `timeout` has passed.
    public func waitUntilListening(name: String, port: Int, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !TCPProbe.isListening(port: port) {
            if runningPID() == nil {
                throw LocalNetworkError.notReady("\(name) exited before it listened on 127.0.0.1:\(port); \(logTail())")
            }
            guard ContinuousClock.now < deadline else {
                throw LocalNetworkError.notReady("\(name) does not listen on 127.0.0.1:\(port) after \(timeout); \(logTail())")
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// "see LOG; it ends with: ..." — the last few lines of the log file, for an error message.
    func logTail(lines: Int = 5) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        let tail = text.split(separator: "\n").suffix(lines).joined(separator: "\n  ")
        return tail.isEmpty ? "see \(logFile.path) (empty)" : "see \(logFile.path); it ends with:\n  \(tail)"
    }
}
