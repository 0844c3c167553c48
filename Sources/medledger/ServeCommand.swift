internal import ArgumentParser
internal import Foundation
internal import Logging
internal import Server

/// `medledger serve`: runs a node's gRPC endpoint until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the node's gRPC API over TLS 1.3.",
        discussion: """
            On first start the organisation CA (DIR/ca/), a bootstrap admin identity (DIR/admin/) and \
            the node's TLS certificate (DIR/tls/) are created; clients trust DIR/tls/ca.pem. The TLS \
            certificate is renewed at two thirds of its lifetime. SIGTERM or SIGINT shuts down gracefully.
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("The node's data directory.", valueName: "DIR"))
    var dataDirectory = "./medledger-data"

    @Option(help: "The IP address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The TCP port to listen on (0 picks a free one).")
    var port = ServerConfiguration.defaultPort

    @Option(
        name: .customLong("hostname"),
        help: "An extra DNS name or IP address for the server certificate (repeatable)."
    )
    var hostnames: [String] = []

    @Option(name: .customLong("msp-id"), help: "The organisation's MSP ID, used when the CA is first created.")
    var mspID = "MedLedgerOrg1MSP"

    @Option(help: "One of: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        guard (0...65535).contains(port) else {
            throw ValidationError("port \(port) is outside 0...65535")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "medledger")

        let dataURL = URL(
            fileURLWithPath: dataDirectory,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        ).standardizedFileURL
        let configuration = ServerConfiguration(
            dataDirectory: dataURL,
            host: host,
            port: port,
            hostnames: hostnames
        )
        let node = try MedLedgerNode(configuration: configuration, mspID: mspID, logger: logger)
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await node.runUntilTerminated() }
            if let address = try? await node.server.listeningAddress {
                // Written unbuffered: scripts and tests read these lines while the server runs.
                let banner = """
                    MedLedger listening on \(address) (gRPC over TLS 1.3)
                    Organisation CA certificate: \(node.caCertificatePath)
                    Admin identity: \(node.adminDirectory.path)\(node.createdAdmin ? " (created now)" : "")

                    """
                FileHandle.standardOutput.write(Data(banner.utf8))
            }
        }
    }
}
