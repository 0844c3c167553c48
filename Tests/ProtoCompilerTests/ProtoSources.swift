import Foundation
import ProtoCompiler

/// Writes `.proto` sources into a fresh temporary import root, compiles them and removes them,
/// so each test states its whole input inline.
enum ProtoSources {
    static func compile(_ files: [String: String], requesting paths: [String]) throws(CompileError) -> [FileModel] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proto-compiler-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (path, source) in files {
            let url = root.appendingPathComponent(path)
            try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try! source.write(to: url, atomically: true, encoding: .utf8)
        }
        return try ProtoCompiler(importRoots: [root.path]).compile(paths)
    }

    /// Compiles a single file named `test.proto`.
    static func compile(_ source: String) throws(CompileError) -> FileModel {
        try compile(["test.proto": source], requesting: ["test.proto"])[0]
    }

    /// The error compiling `files` produces, or nil when it succeeds.
    static func error(_ files: [String: String], requesting path: String) -> CompileError? {
        do {
            _ = try compile(files, requesting: [path])
            return nil
        } catch {
            return error
        }
    }

    static func error(_ source: String) -> CompileError? {
        error(["test.proto": source], requesting: "test.proto")
    }
}
