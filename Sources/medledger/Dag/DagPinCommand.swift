internal import ArgumentParser
internal import ContentStore
internal import Foundation

/// `medledger dag pin add|rm|ls`.
struct DagPinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep DAGs from garbage collection.",
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Pin a DAG.")
        @OptionGroup var target: DagTargetOptions
        @Flag(inversion: .prefixedNo, help: "Pin the whole DAG (default) or only the root block.")
        var recursive = true
        @Argument var cid: String

        func run() async throws {
            let root = try parseCID(cid)
            try await target.withTarget { try await $0.pin(root, recursive: recursive) }
            print("pinned \(root) \(recursive ? "recursively" : "directly")")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a pin.")
        @OptionGroup var target: DagTargetOptions
        @Flag(inversion: .prefixedNo, help: "Remove a recursive pin (default) or a direct one.")
        var recursive = true
        @Argument var cid: String

        func run() async throws {
            let root = try parseCID(cid)
            try await target.withTarget { try await $0.unpin(root, recursive: recursive) }
            print("unpinned \(root)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List pins.")
        @OptionGroup var target: DagTargetOptions

        func run() async throws {
            for pin in try await target.withTarget({ try await $0.pins() }) { print("\(pin.cid) \(pin.kind.rawValue)") }
        }
    }
}
