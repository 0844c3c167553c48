internal import ArgumentParser
internal import EHRModel
internal import Foundation
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import Logging
internal import Portal

/// `medledger portal`: the web app for one identity, on 127.0.0.1.
struct PortalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portal",
        abstract: "Serve the MedLedger Portal for one identity on 127.0.0.1 (open the printed URL in a browser).",
        discussion: """
            Like the CLI, the portal runs on your machine with your identity: it signs your transactions and decrypts your \
            records here; the key never reaches the page. The URL it prints carries a random access token: whoever opens it \
            acts as this identity, so do not share it. Patients see their records, who read them, consents and research \
            requests; clinicians their organisation's patients, records, break-glass and uploads; researchers their studies; \
            auditors and admins the ledger explorer.
            """)

    @OptionGroup var connection: NodeConnectionOptions

    @Option(help: "The port on 127.0.0.1 (0 picks a free one).")
    var port = 8800

    @Option(help: "The channel of the health records.")
    var channel = "ehr"

    @Option(name: .customLong("explore"), help: ArgumentHelp("A channel the explorer shows (repeat for several; default: the records channel).", valueName: "CHANNEL"))
    var explorerChannels: [String] = []

    func run() async throws {
        guard let identity = connection.identity else { throw ValidationError("give --identity DIR (an enrolled identity folder)") }
        for file in [identity.certificatePath, identity.keyPath] where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("\(identity.directory.path) is not an identity folder: \(file) is missing (enroll first: medledger ca enroll)")
        }
        let user = try Reader(identity: identity)
        let signer = try identity.loadSigner()
        let configuration = PortalServer<HTTP2ClientTransport.Posix>.Configuration(
            port: port, channel: channel, explorerChannels: explorerChannels.isEmpty ? [channel] : explorerChannels)
        var logger = Logger(label: "medledger.portal")
        logger.logLevel = .warning
        try await connection.withNodeClient(requireIdentity: true) { client in
            let portal = try PortalServer(user: user, client: client, signer: signer, configuration: configuration, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await portal.run(handlingSignals: true) }
                let banner = """
                    MedLedger Portal for \(user.enrollmentID) (\(user.role) of \(user.mspID)), node \(connection.address)
                    Open: \(try await portal.signInURL)
                    The link carries an access token: whoever opens it acts as \(user.enrollmentID). Ctrl-C stops the portal.

                    """
                FileHandle.standardOutput.write(Data(banner.utf8))
                try await group.waitForAll()
            }
        }
    }
}
