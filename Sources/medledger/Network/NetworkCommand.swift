internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LocalNetwork
internal import Logging
internal import Schema
internal import Server
internal import Wire

/// `medledger network`: the multi-node network on this machine — an etcd cluster of three
/// members, three orderers (HospitalA, HospitalB, Regulator) and a peer per organisation, each
/// its own process with its own data directory, over loopback mTLS.
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Run the multi-node network (etcd ×3, orderers ×3, a peer per organisation) on this machine.",
        subcommands: [Up.self, Status.self, Down.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("data"), help: ArgumentHelp("The network's directory.", valueName: "DIR"))
        var dataDirectory = "./medledger-network"

        var directory: URL {
            URL(fileURLWithPath: dataDirectory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
                .standardizedFileURL
        }

        func plan() throws -> NetworkPlan {
            guard let plan = try NetworkPlan.load(from: directory) else {
                throw ValidationError("\(directory.path) holds no network (no network.json): run `medledger network up --data \(dataDirectory)` first")
            }
            return plan
        }
    }

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the network, creating it on the first run; a later run reuses its data.")

        @OptionGroup var location: Location

        @Option(help: "The log level of the node processes.")
        var logLevel = "info"

        @Option(name: .customLong("etcd-window"), help: "Blocks of each channel the orderers keep in etcd (used when the network is created).")
        var etcdWindow: UInt64?

        func run() async throws {
            let network = LocalNetworkProcesses(directory: location.directory, logLevel: logLevel)
            let plan = try network.planOrCreate(etcdWindow: etcdWindow)
            try await network.start(plan)
            try await network.joinChannels(plan)
            print(network.summary(plan))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each node's role, whether it runs, its channels and heights.")

        @OptionGroup var location: Location

        func run() async throws {
            let network = LocalNetworkProcesses(directory: location.directory, logLevel: "info")
            print(try await network.status(try location.plan()))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop every process of the network; its data stays.")

        @OptionGroup var location: Location

        func run() async throws {
            let network = LocalNetworkProcesses(directory: location.directory, logLevel: "info")
            await network.stop(try location.plan())
            print("network in \(location.directory.path) stopped")
        }
    }
}
