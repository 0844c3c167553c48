public import Foundation

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// What a child process left: its exit status and everything it wrote.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var standardOutputData: Data
    public var standardError: String
    public var timedOut: Bool

    public var standardOutput: String { String(decoding: standardOutputData, as: UTF8.self) }

    /// Status, output and errors, for a failure message.
    public var summary: String {
        "exit \(status)\(timedOut ? " (timed out)" : "")\nstdout:\n\(standardOutput)\nstderr:\n\(standardError)"
    }

    /// The standard output, or an error naming the status and what the child wrote to stderr.
    public func requireSuccess() throws -> String {
        guard status == 0, !timedOut else { throw ProcessFailure(description: summary) }
        return standardOutput
    }
}

/// A child process that did not succeed.
public struct ProcessFailure: Error, CustomStringConvertible {
    public var description: String
}

/// Runs `arguments` (looked up on PATH) without blocking a concurrency thread, killing it after
/// `timeout`.
///
/// Output goes to files rather than pipes so that a chatty child can never block on a full pipe.
/// With `keepStandardInputOpen` the child's stdin stays open until it exits or the deadline passes;
/// otherwise it reads end-of-file at once.
public func runProcess(
    _ arguments: [String],
    environment: [String: String] = [:],
    keepStandardInputOpen: Bool = false,
    timeout: Duration = .seconds(60)
) async throws -> ProcessOutput {
    let child = try ChildProcess(arguments, environment: environment)
    defer { child.scratch.remove() }
    let input = Pipe()
    child.process.standardInput = keepStandardInputOpen ? input : FileHandle.nullDevice
    let exited = AsyncStream<Int32>.makeStream()
    child.process.terminationHandler = { process in
        exited.continuation.yield(process.terminationStatus)
        exited.continuation.finish()
    }
    try child.process.run()

    let pid = child.process.processIdentifier
    // True when the child had to be killed.
    let deadline = Task { () -> Bool in
        guard (try? await Task.sleep(for: timeout)) != nil else { return false }
        // SIGKILL, because the test runner's children may inherit SIGTERM blocked or ignored.
        kill(pid, SIGKILL)
        // Foundation on Linux can miss a child's exit (its terminationHandler never runs): if no
        // exit is reported soon after the kill, reap the child here so the caller is not left waiting.
        if (try? await Task.sleep(for: .seconds(5))) != nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { exited.continuation.yield(128 + SIGKILL) }
            exited.continuation.finish()
        }
        return true
    }
    var status: Int32 = -1
    for await code in exited.stream { status = code }
    deadline.cancel()
    let timedOut = await deadline.value
    try? input.fileHandleForWriting.close()
    return child.output(status: status, timedOut: timedOut)
}

/// Runs `arguments` (looked up on PATH) to its end, writing `input` to its stdin: for synchronous
/// tests and short-lived tools (protoc, openssl, python3).
public func runProcessBlocking(_ arguments: [String], input: Data? = nil) throws -> ProcessOutput {
    let child = try ChildProcess(arguments, environment: [:])
    defer { child.scratch.remove() }
    let stdin = Pipe()
    child.process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try child.process.run()
    if let input {
        // A child that exits without reading all of it must not leave the writer blocked.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: input)
        try? stdin.fileHandleForWriting.close()
    }
    child.process.waitUntilExit()
    return child.output(status: child.process.terminationStatus, timedOut: false)
}

/// A configured child whose stdout and stderr go to files in a scratch directory.
private struct ChildProcess {
    let process = Process()
    let scratch: TemporaryDirectory
    let outURL: URL
    let errURL: URL

    init(_ arguments: [String], environment: [String: String]) throws {
        scratch = try TemporaryDirectory()
        outURL = scratch.url.appendingPathComponent("stdout")
        errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
    }

    func output(status: Int32, timedOut: Bool) -> ProcessOutput {
        try? (process.standardOutput as? FileHandle)?.close()
        try? (process.standardError as? FileHandle)?.close()
        return ProcessOutput(
            status: status, standardOutputData: (try? Data(contentsOf: outURL)) ?? Data(),
            standardError: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut)
    }
}

/// The executables `swift build --build-tests` put beside the test bundle.
public enum BuiltProduct {
    /// The path of the built executable `name` (e.g. "medledger").
    public static func path(_ name: String) -> String {
        Bundle.main.bundleURL.appending(path: name).path
    }
}
