internal import ArgumentParser
internal import ContentStore
internal import Foundation
internal import Server

/// `medledger dag`: the content store of a local data directory, as Kubo's `ipfs add/cat/pin/dag` do.
struct DagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag",
        abstract: "Add, read, pin and move IPFS-compatible content in a local data directory.",
        subcommands: [
            DagAddCommand.self, DagCatCommand.self, DagStatCommand.self, DagPinCommand.self,
            DagGCCommand.self, DagExportCommand.self, DagImportCommand.self,
        ]
    )
}

/// The `--data` option every `dag` subcommand shares.
struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The node's data directory.", valueName: "DIR"))
    var dataDirectory = "./medledger-data"

    var url: URL {
        URL(
            fileURLWithPath: dataDirectory,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        ).standardizedFileURL
    }

    func openStore() throws -> ContentStore {
        try ContentStore(directory: ServerConfiguration(dataDirectory: url).contentDirectory)
    }
}

/// Parses a CID argument with the store's error message.
func parseCID(_ text: String) throws -> CID {
    do {
        return try CID(text)
    } catch {
        throw ValidationError("\(error)")
    }
}

struct DagAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Import a file or directory; prints its root CID (Kubo-compatible)."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(name: .customLong("cid-version"), help: "CID version: 0 (default) or 1.")
    var cidVersion = 0

    @Flag(inversion: .prefixedNo, help: "Store leaves as raw blocks (default: on with CID version 1).")
    var rawLeaves: Bool?

    @Option(help: "Chunker: size-N (default size-262144).")
    var chunker = "size-262144"

    @Flag(name: .customLong("only-hash"), help: "Compute the CID without storing anything.")
    var onlyHash = false

    @Flag(name: .customLong("no-pin"), help: "Do not pin the added DAG.")
    var noPin = false

    @Argument(help: "The file or directory to add.")
    var path: String

    func run() throws {
        let options: ImportOptions
        do {
            options = try ImportOptions(cidVersion: cidVersion, rawLeaves: rawLeaves, chunker: Chunker(spec: chunker))
        } catch {
            throw ValidationError("\(error)")
        }
        let url = URL(fileURLWithPath: path)
        let progress = ProgressBar(path: url)
        let result =
            onlyHash
            ? try PathImporter(options: options, sink: DiscardingSink(), progress: progress.update).importPath(url)
            : try data.openStore().add(url: url, options: options, pin: !noPin, progress: progress.update)
        progress.finish()
        print(result.cid)
    }
}

struct DagCatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cat", abstract: "Write a file's bytes to standard output.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "First byte to write.")
    var offset: UInt64 = 0

    @Option(help: "Number of bytes to write (default: to the end).")
    var length: UInt64?

    @Argument(help: "The file's CID.")
    var cid: String

    func run() async throws {
        let root = try parseCID(cid)
        let store = try data.openStore()
        try await store.reader.read(root, offset: offset, length: length) { bytes in
            FileHandle.standardOutput.write(bytes)
        }
    }
}

struct DagStatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stat", abstract: "Show a DAG's size, block count and type.")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The root CID.")
    var cid: String

    func run() throws {
        let stat = try data.openStore().stat(try parseCID(cid))
        print("CID: \(stat.cid)")
        print("Type: \(stat.kind)")
        print("Size: \(stat.size)")
        print("CumulativeSize: \(stat.cumulativeSize)")
        print("NumBlocks: \(stat.numBlocks)")
    }
}

struct DagGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gc", abstract: "Delete blocks no pin reaches.")

    @OptionGroup var data: DataDirectoryOptions

    @Flag(name: .customLong("dry-run"), help: "List what would be removed, remove nothing.")
    var dryRun = false

    func run() throws {
        let result = try data.openStore().collectGarbage(dryRun: dryRun)
        for hash in result.removed { print("removed \(CID.v1(.raw, hash))") }
        print("\(dryRun ? "would free" : "freed") \(result.freedBytes) bytes in \(result.removed.count) blocks")
    }
}

struct DagExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write a DAG as a CAR v1 file.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(name: .shortAndLong, help: "The CAR file to write.")
    var output: String

    @Argument(help: "The root CID.")
    var cid: String

    func run() async throws {
        let root = try parseCID(cid)
        let store = try data.openStore()
        let temporary = output + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw ValidationError("cannot create \(temporary)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        do {
            try await store.exportCAR(roots: [root]) { try handle.write(contentsOf: $0) }
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

    @OptionGroup var data: DataDirectoryOptions

    @Flag(name: .customLong("no-pin"), help: "Do not pin the CAR's roots.")
    var noPin = false

    @Argument(help: "The CAR file.")
    var file: String

    func run() async throws {
        let store = try data.openStore()
        let url = URL(fileURLWithPath: file)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let pieces = AsyncThrowingStream<Data, any Error> {
            let piece = try handle.read(upToCount: 1 << 20)
            return piece?.isEmpty == false ? piece : nil
        }
        let result = try await store.importCAR(pieces, pinRoots: !noPin)
        for root in result.roots { print("imported root \(root)") }
        print("\(result.blocks) blocks")
    }
}
