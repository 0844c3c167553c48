public import Foundation

/// Where everything of a local network lives under its directory: one definition for
/// `network up`, its processes, the benchmark and the tests.
public struct NetworkLayout: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The etcd cluster: its plan, members' data and the ordering CA's TLS files.
    public var etcd: URL { directory.appendingPathComponent("etcd", isDirectory: true) }
    /// The nodes' logs and pid files.
    public var logs: URL { directory.appendingPathComponent("logs", isDirectory: true) }

    /// A node's data directory.
    public func nodeDirectory(_ node: NetworkPlan.Node) -> URL {
        directory.appendingPathComponent("nodes/\(node.name)", isDirectory: true)
    }

    /// A channel's genesis block.
    public func genesisFile(_ channel: String) -> URL {
        directory.appendingPathComponent("channels/\(channel).block")
    }

    /// The folder of every admin's and demo user's identity folder.
    public var identities: URL { directory.appendingPathComponent("identities", isDirectory: true) }

    /// The identity folder of `name` (an admin or a demo user).
    public func identityDirectory(_ name: String) -> URL {
        identities.appendingPathComponent(name, isDirectory: true)
    }

    /// A node's process: its log and pid file, to start it (with `arguments`) or signal it.
    public func process(_ node: NetworkPlan.Node, arguments: [String] = []) -> DaemonProcess {
        DaemonProcess(
            arguments: arguments, logFile: logs.appendingPathComponent("\(node.name).log"),
            pidFile: logs.appendingPathComponent("\(node.name).pid"))
    }
}
