public import Foundation

/// An etcd cluster of child processes on loopback, the ordering service's consensus: each member
/// has its own data directory, client and peer ports, and TLS certificates from the ordering
/// organisation's CA (`OrderingTLS`); members talk mTLS to each other and require client
/// certificates from that CA. The plan (names, ports) is kept in `cluster.json`, so a second start
/// reuses the same members and data.
public struct LocalEtcdCluster: Sendable {
    /// One member: its name and loopback ports.
    public struct Member: Codable, Sendable, Hashable {
        public var name: String
        public var clientPort: Int
        public var peerPort: Int

        /// The `host:port` gRPC clients dial.
        public var clientEndpoint: String { "127.0.0.1:\(clientPort)" }
    }

    public let directory: URL
    public let members: [Member]
    public let tls: OrderingTLS

    /// Opens the cluster planned in `directory`, or plans one of `size` members on free loopback
    /// ports, with certificates issued by a new ordering CA.
    public static func openOrPlan(directory: URL, size: Int = 3) throws -> LocalEtcdCluster {
        let planFile = directory.appendingPathComponent("cluster.json")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tls = try OrderingTLS.openOrCreate(directory: directory.appendingPathComponent("tls", isDirectory: true))
        if let data = try? Data(contentsOf: planFile) {
            return LocalEtcdCluster(directory: directory, members: try JSONDecoder().decode([Member].self, from: data), tls: tls)
        }
        let ports = try FreePorts.reserve(2 * size)
        let members = (0..<size).map { Member(name: "etcd\($0 + 1)", clientPort: ports[2 * $0], peerPort: ports[2 * $0 + 1]) }
        for member in members { try tls.issueMember(member.name) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(members).write(to: planFile)
        return LocalEtcdCluster(directory: directory, members: members, tls: tls)
    }

    /// The endpoints clients dial, one per member.
    public var clientEndpoints: [String] { members.map(\.clientEndpoint) }

    /// The child process of `member`.
    public func process(_ member: Member, etcd: String = "/usr/bin/etcd") -> DaemonProcess {
        let memberDirectory = directory.appendingPathComponent(member.name, isDirectory: true)
        let files = tls.memberFiles(member.name)
        let initialCluster = members.map { "\($0.name)=https://127.0.0.1:\($0.peerPort)" }.joined(separator: ",")
        return DaemonProcess(
            arguments: [
                etcd, "--name", member.name, "--data-dir", memberDirectory.appendingPathComponent("data").path,
                "--listen-client-urls", "https://127.0.0.1:\(member.clientPort)",
                "--advertise-client-urls", "https://127.0.0.1:\(member.clientPort)",
                "--listen-peer-urls", "https://127.0.0.1:\(member.peerPort)",
                "--initial-advertise-peer-urls", "https://127.0.0.1:\(member.peerPort)",
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new",
                "--initial-cluster-token", "medledger-ordering",
                "--cert-file", files.certificate.path, "--key-file", files.key.path,
                "--trusted-ca-file", tls.caCertificate.path, "--client-cert-auth",
                "--peer-cert-file", files.certificate.path, "--peer-key-file", files.key.path,
                "--peer-trusted-ca-file", tls.caCertificate.path, "--peer-client-cert-auth",
                // Short heartbeats: loopback members notice a dead leader within a second.
                "--heartbeat-interval", "100", "--election-timeout", "1000",
                "--logger", "zap", "--log-level", "warn",
            ],
            logFile: directory.appendingPathComponent("\(member.name).log"),
            pidFile: directory.appendingPathComponent("\(member.name).pid"))
    }

    /// Starts every member that is not running.
    public func start() throws {
        for member in members {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(member.name, isDirectory: true), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try process(member).start()
        }
    }

    /// Stops every member.
    public func stop() async {
        for member in members { await process(member).stop() }
    }
}

extension LocalEtcdCluster {
    /// Waits until every member answers `etcdctl endpoint health` over mTLS, or throws after `timeout`.
    public func waitUntilReady(timeout: Duration, etcdctl: String = "/usr/bin/etcdctl") async throws {
        let files = try tls.clientFiles("health-check")
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: etcdctl)
            process.arguments = [
                "--endpoints", clientEndpoints.map { "https://\($0)" }.joined(separator: ","), "--cacert", tls.caCertificate.path,
                "--cert", files.certificate.path, "--key", files.key.path, "--command-timeout", "2s", "endpoint", "health",
            ]
            process.environment = ["ETCDCTL_API": "3"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            last = String(decoding: data, as: UTF8.self)
            if process.terminationStatus == 0 { return }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw LocalNetworkError.notReady("etcd members did not all become healthy within \(timeout): \(last)")
    }
}
