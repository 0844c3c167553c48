internal import ArgumentParser
internal import ContentStore

/// `medledger dag pin add|rm|ls`.
struct DagPinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep DAGs from garbage collection.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Pin a DAG.")
        @OptionGroup var data: DataDirectoryOptions
        @Flag(inversion: .prefixedNo, help: "Pin the whole DAG (default) or only the root block.")
        var recursive = true
        @Argument var cid: String

        func run() throws {
            let root = try parseCID(cid)
            try data.openStore().pin(root, recursive: recursive)
            print("pinned \(root) \(recursive ? "recursively" : "directly")")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a pin.")
        @OptionGroup var data: DataDirectoryOptions
        @Flag(inversion: .prefixedNo, help: "Remove a recursive pin (default) or a direct one.")
        var recursive = true
        @Argument var cid: String

        func run() throws {
            let root = try parseCID(cid)
            try data.openStore().unpin(root, recursive: recursive)
            print("unpinned \(root)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List pins.")
        @OptionGroup var data: DataDirectoryOptions

        func run() throws {
            for pin in try data.openStore().pins() { print("\(pin.cid) \(pin.kind.rawValue)") }
        }
    }
}
