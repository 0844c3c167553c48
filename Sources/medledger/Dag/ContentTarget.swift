internal import ArgumentParser
internal import ContentStore
internal import Foundation
internal import Identity

/// Where a `dag` command's content lives: a local data directory or a running node's Content
/// service. Every command goes through this, so both give the same output for the same input.
protocol ContentTarget {
    /// Imports one file (a local target also takes directories and symbolic links); returns the root CID.
    func add(_ url: URL, options: ImportOptions, pin: Bool, progress: @escaping @Sendable (UInt64) -> Void) async throws -> CID
    func cat(_ cid: CID, offset: UInt64, length: UInt64?, emit: @escaping @Sendable (Data) async throws -> Void) async throws
    func stat(_ cid: CID) async throws -> DagStat
    func pin(_ cid: CID, recursive: Bool) async throws
    func unpin(_ cid: CID, recursive: Bool) async throws
    func pins() async throws -> [Pin]
    func collectGarbage(dryRun: Bool) async throws -> GCResult
    func exportCAR(_ root: CID, emit: @escaping @Sendable (Data) async throws -> Void) async throws
    /// Imports a CAR file, streamed; returns its roots and the number of blocks.
    func importCAR(_ url: URL, pinRoots: Bool) async throws -> (roots: [CID], blocks: Int)
}

/// The options every `dag` subcommand shares: `--data DIR` (the default) or `--server HOST:PORT`
/// with `--identity DIR` and optionally `--ca-cert`.
struct DagTargetOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The node's data directory, used here without a server (default ./medledger-data); refused while a node runs on it.", valueName: "DIR"))
    var dataDirectory: String?

    @Option(name: .customLong("server"), help: ArgumentHelp("A running node's address: use its Content service over mTLS.", valueName: "HOST:PORT"))
    var server: String?

    @Option(name: .customLong("identity"), help: ArgumentHelp("With --server: the caller's identity folder.", valueName: "DIR"))
    var identityDirectory: String?

    @Option(name: .customLong("ca-cert"), help: "With --server: the root to trust for TLS (default: tls-ca.pem, else ca.pem, of --identity).")
    var caCertificatePath: String?

    func validate() throws {
        if server != nil && dataDirectory != nil {
            throw ValidationError("give --data DIR (local store) or --server HOST:PORT (a running node), not both")
        }
        if server == nil && (identityDirectory != nil || caCertificatePath != nil) {
            throw ValidationError("--identity and --ca-cert need --server HOST:PORT")
        }
        if let server, server.lastIndex(of: ":").flatMap({ Int(server[server.index(after: $0)...]) }) == nil {
            throw ValidationError("--server must be HOST:PORT, e.g. 127.0.0.1:7051")
        }
    }

    var dataURL: URL {
        URL(
            fileURLWithPath: dataDirectory ?? "./medledger-data",
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        ).standardizedFileURL
    }

    /// Runs `body` against the chosen target; RPC failures print as "error: CODE: message".
    func withTarget<Result: Sendable>(_ body: (any ContentTarget) async throws -> Result) async throws -> Result {
        guard let server else {
            // The target holds the directory's lock until it is released, after `body`.
            let local = try LocalContentTarget(dataDirectory: dataURL)
            defer { local.release() }
            return try await body(local)
        }
        guard let identityDirectory else {
            throw ValidationError("--server needs --identity DIR (an enrolled identity folder): the Content service requires mTLS")
        }
        let identity = IdentityFolder(directory: URL(fileURLWithPath: identityDirectory))
        let trust = caCertificatePath ?? identity.tlsTrustPath
        return try await reportingRPCErrors {
            try await NodeConnectionOptions.withNodeClient(address: server, trusting: trust, identity: identity) { client in
                try await body(RemoteContentTarget(client: client))
            }
        }
    }
}

/// Reads a file as a stream of pieces of at most `pieceSize` bytes.
func filePieces(_ url: URL, pieceSize: Int) throws -> AsyncThrowingStream<Data, any Error> {
    let handle = try FileHandle(forReadingFrom: url)
    return AsyncThrowingStream {
        let piece = try handle.read(upToCount: pieceSize)
        guard let piece, !piece.isEmpty else {
            try? handle.close()
            return nil
        }
        return piece
    }
}

/// A refusal a `dag` command explains in one line (no usage text: the arguments were well formed).
struct DagCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
