import Foundation
import ProtoCompiler

/// medledger-codegen: compiles `.proto` files to Swift messages and gRPC service stubs.
///
///     medledger-codegen --proto-root DIR --output DIR [--visibility public|internal]
///                       [--codec-module MODULE] [--registry FILE] FILE.proto...
///
/// Files are named relative to `--proto-root` (like protoc's `-I`). Errors are printed as
/// `file:line:column: error: message` and exit with status 1.
struct CommandLine {
    var protoRoots: [String] = []
    var outputDirectory = "."
    var options = EmitterOptions()
    var registryFile: String?
    var files: [String] = []

    static func parse(_ arguments: [String]) throws -> CommandLine {
        var result = CommandLine()
        var iterator = arguments.makeIterator()
        func value(for flag: String) throws -> String {
            guard let next = iterator.next() else { throw UsageError(message: "\(flag) needs a value") }
            return next
        }
        while let argument = iterator.next() {
            switch argument {
            case "--proto-root", "-I": result.protoRoots.append(try value(for: argument))
            case "--output", "-o": result.outputDirectory = try value(for: argument)
            case "--visibility":
                let visibility = try value(for: argument)
                guard ["public", "internal", "package"].contains(visibility) else {
                    throw UsageError(message: "--visibility must be public, package or internal")
                }
                result.options.visibility = visibility
            case "--codec-module": result.options.codecModule = try value(for: argument)
            case "--registry": result.registryFile = try value(for: argument)
            case let flag where flag.hasPrefix("-"): throw UsageError(message: "unknown option \(flag)")
            default: result.files.append(argument)
            }
        }
        if result.protoRoots.isEmpty { result.protoRoots = ["."] }
        guard !result.files.isEmpty else { throw UsageError(message: "no .proto files given") }
        return result
    }
}

struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String {
        "usage: medledger-codegen --proto-root DIR --output DIR [--visibility public|internal] [--codec-module M] [--registry FILE] FILE.proto...\nerror: \(message)"
    }
}

func writeIfChanged(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    if let existing = try? String(contentsOf: url, encoding: .utf8), existing == text { return }
    try text.write(to: url, atomically: true, encoding: .utf8)
}

do {
    let command = try CommandLine.parse(Array(Swift.CommandLine.arguments.dropFirst()))
    let models = try ProtoCompiler(importRoots: command.protoRoots).compile(command.files)
    let emitter = SwiftFileEmitter(options: command.options)
    try FileManager.default.createDirectory(atPath: command.outputDirectory, withIntermediateDirectories: true)
    for model in models {
        let path = command.outputDirectory + "/" + SwiftFileEmitter.outputName(for: model.path)
        try writeIfChanged(emitter.emit(model), to: path)
    }
    if let registry = command.registryFile {
        try writeIfChanged(emitter.emitRegistry(models), to: command.outputDirectory + "/" + registry)
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
