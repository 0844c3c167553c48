internal import ArgumentParser
internal import ContentStore
internal import Foundation

/// `medledger dag`: a content store, as Kubo's `ipfs add/cat/pin/dag` use it — a local data
/// directory (`--data`, no server) or a running node (`--server`, over mTLS).
struct DagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag",
        abstract: "Add, read, pin and move IPFS-compatible content: in a local data directory (--data) or on a node (--server).",
        subcommands: [
            DagAddCommand.self, DagCatCommand.self, DagStatCommand.self, DagPinCommand.self,
            DagGCCommand.self, DagExportCommand.self, DagImportCommand.self,
        ]
    )
}

/// Parses a CID argument with the store's error message.
func parseCID(_ text: String) throws -> CID {
    do {
        return try CID(text)
    } catch {
        throw ValidationError("\(error)")
    }
}

struct DagAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Import a file or directory; prints its root CID (Kubo-compatible).",
        discussion: "With --server the file is streamed to the node's Content service, one regular file per call (directories only with --data). --only-hash never stores or sends anything: it hashes here in either mode."
    )

    @OptionGroup var target: DagTargetOptions

    @Option(name: .customLong("cid-version"), help: "CID version: 0 (default) or 1.")
    var cidVersion = 0

    @Flag(inversion: .prefixedNo, help: "Store leaves as raw blocks (default: on with CID version 1).")
    var rawLeaves: Bool?

    @Option(help: "Chunker: size-N (default size-262144).")
    var chunker = "size-262144"

    @Option(name: .customLong("max-file-links"), help: "Most links per file node before the DAG gains a level (default 174).")
    var maxFileLinks = ImportOptions.maximumLinksPerNode

    @Flag(name: .customLong("only-hash"), help: "Compute the CID without storing anything.")
    var onlyHash = false

    @Flag(name: .customLong("no-pin"), help: "Do not pin the added DAG.")
    var noPin = false

    @Argument(help: "The file or directory to add.")
    var path: String

    func run() async throws {
        let options: ImportOptions
        do {
            options = try ImportOptions(
                cidVersion: cidVersion, rawLeaves: rawLeaves, chunker: Chunker(spec: chunker), maximumLinks: maxFileLinks)
        } catch {
            throw ValidationError("\(error)")
        }
        let url = URL(fileURLWithPath: path)
        let progress = ProgressBar(path: url)
        // --only-hash stores nothing, so it never needs the store or the server: hashing here
        // gives the same CID without sending the file anywhere.
        let cid =
            onlyHash
            ? try PathImporter(options: options, sink: DiscardingSink(), progress: progress.update).importPath(url).cid
            : try await target.withTarget { try await $0.add(url, options: options, pin: !noPin, progress: progress.update) }
        progress.finish()
        print(cid)
    }
}

struct DagCatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat", abstract: "Write a file's bytes to standard output.")

    @OptionGroup var target: DagTargetOptions

    @Option(help: "First byte to write.")
    var offset: UInt64 = 0

    @Option(help: "Number of bytes to write (default: to the end).")
    var length: UInt64?

    @Argument(help: "The file's CID.")
    var cid: String

    func run() async throws {
        let root = try parseCID(cid)
        try await target.withTarget { content in
            try await content.cat(root, offset: offset, length: length) { bytes in
                try FileHandle.standardOutput.write(contentsOf: bytes)
            }
        }
    }
}

struct DagStatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stat", abstract: "Show a DAG's size, block count and type.")

    @OptionGroup var target: DagTargetOptions

    @Argument(help: "The root CID.")
    var cid: String

    func run() async throws {
        let root = try parseCID(cid)
        let stat = try await target.withTarget { try await $0.stat(root) }
        print("CID: \(stat.cid)")
        print("Type: \(stat.kind)")
        print("Size: \(stat.size)")
        print("CumulativeSize: \(stat.cumulativeSize)")
        print("NumBlocks: \(stat.numBlocks)")
    }
}

struct DagGCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Delete blocks no pin reaches.")

    @OptionGroup var target: DagTargetOptions

    @Flag(name: .customLong("dry-run"), help: "List what would be removed, remove nothing.")
    var dryRun = false

    func run() async throws {
        let result = try await target.withTarget { try await $0.collectGarbage(dryRun: dryRun) }
        for hash in result.removed { print("removed \(CID.v1(.raw, hash))") }
        print("\(dryRun ? "would free" : "freed") \(result.freedBytes) bytes in \(result.removed.count) blocks")
    }
}

struct DagExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a DAG as a CAR v1 file.")

    @OptionGroup var target: DagTargetOptions

    @Option(name: .shortAndLong, help: "The CAR file to write.")
    var output: String

    @Argument(help: "The root CID.")
    var cid: String

    func run() async throws {
        let root = try parseCID(cid)
        let temporary = output + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw ValidationError("cannot create \(temporary)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        do {
            try await target.withTarget { content in
                try await content.exportCAR(root) { try handle.write(contentsOf: $0) }
            }
            try handle.synchronize()
            try handle.close()
            if FileManager.default.fileExists(atPath: output) { try FileManager.default.removeItem(atPath: output) }
            try FileManager.default.moveItem(atPath: temporary, toPath: output)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}

struct DagImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CAR v1 file, verifying every block; pins its roots."
    )

    @OptionGroup var target: DagTargetOptions

    @Flag(name: .customLong("no-pin"), help: "Do not pin the CAR's roots.")
    var noPin = false

    @Argument(help: "The CAR file.")
    var file: String

    func run() async throws {
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw DagCommandError("cannot read \(file)") }
        let result = try await target.withTarget { try await $0.importCAR(url, pinRoots: !noPin) }
        for root in result.roots { print("imported root \(root)") }
        print("\(result.blocks) blocks")
    }
}
