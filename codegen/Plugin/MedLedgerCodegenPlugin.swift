import Foundation
import PackagePlugin

/// Generates Swift messages and gRPC stubs from every `.proto` file under the package's `proto/`
/// directory, for the target the plugin is applied to. Inputs and outputs are declared, so an
/// edited `.proto` is regenerated on the next build and nothing else is.
@main
struct MedLedgerCodegenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let protoRoot = context.package.directoryURL.appending(path: "proto")
        let protoFiles = try Self.protoFiles(under: protoRoot)
        guard !protoFiles.isEmpty else { return [] }
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let relativePaths = protoFiles.map { String($0.path.dropFirst(protoRoot.path.count + 1)) }
        let registry = "MessageRegistry.swift"
        var arguments = ["--proto-root", protoRoot.path, "--output", outputDirectory.path, "--registry", registry]
        if target.name != "Schema" { arguments += ["--codec-module", "Schema"] }
        arguments += relativePaths
        let outputs = relativePaths.map { outputDirectory.appending(path: Self.outputName(for: $0)) }
            + [outputDirectory.appending(path: registry)]
        return [
            .buildCommand(
                displayName: "Generating Swift from \(protoFiles.count) .proto files",
                executable: try context.tool(named: "medledger-codegen").url,
                arguments: arguments,
                inputFiles: protoFiles,
                outputFiles: outputs
            )
        ]
    }

    /// Mirrors `SwiftFileEmitter.outputName(for:)` (the plugin cannot import the generator).
    static func outputName(for protoPath: String) -> String {
        String(protoPath.dropLast(".proto".count).map { $0 == "/" ? "_" : $0 }) + ".pb.swift"
    }

    static func protoFiles(under root: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "proto" }
            .map { $0.standardizedFileURL }
            .sorted { $0.path < $1.path }
    }
}
