internal import ArgumentParser
internal import Foundation
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

    @OptionGroup var launch: NodeLaunchOptions

    @Option(name: .customLong("msp-id"), help: "The organisation's MSP ID, used when the CA is first created.")
    var mspID = "MedLedgerOrg1MSP"

    func run() async throws {
        let logger = launch.bootstrapLogging()
        if FileManager.default.fileExists(atPath: launch.configuration.dataDirectory.appendingPathComponent("orgs").path) {
            throw ValidationError("\(launch.configuration.dataDirectory.path) holds a development network (medledger dev); give serve another --data DIR")
        }
        let node = try MedLedgerNode(configuration: launch.configuration, mspID: mspID, logger: logger)
        try await serveUntilTerminated(node) { address in
            """
            MedLedger listening on \(address) (gRPC over TLS 1.3)
            Organisation CA certificate: \(node.caCertificatePath)
            Admin identity: \(node.adminDirectory.path)\(node.createdAdmin ? " (created now)" : "")

            """
        }
    }
}
