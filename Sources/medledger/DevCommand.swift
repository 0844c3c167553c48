internal import ArgumentParser
internal import Foundation
internal import Identity
internal import Server

/// `medledger dev`: the whole network on one machine, in one process, under one data directory.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a complete development network: four organisations, two channels, demo identities.",
        discussion: """
            The first start creates the CAs of HospitalA, HospitalB, PharmaCo and Regulator, a peer \
            identity per organisation, the orderer, the content store, the channels 'ehr' (all four) \
            and 'hospitals' (the two hospitals), and demo identities in DIR/identities/. Later starts \
            reuse them. Everything listens on one TLS 1.3 port; SIGTERM or SIGINT stops it.
            """
    )

    @OptionGroup var launch: NodeLaunchOptions

    func run() async throws {
        let logger = launch.bootstrapLogging()
        let configuration = launch.configuration
        if FileManager.default.fileExists(atPath: configuration.dataDirectory.appendingPathComponent("ca").path) {
            throw ValidationError("\(configuration.dataDirectory.path) holds a single-organisation node (medledger serve); give dev another --data DIR")
        }
        let network = DevNetwork(dataDirectory: configuration.dataDirectory)
        let (node, created) = try network.openNode(configuration: configuration, logger: logger)
        try await serveUntilTerminated(node) { address in
            Self.banner(network: network, address: address, created: created)
        }
    }

    /// How to run this same program from another terminal: `medledger` when that is what was
    /// run (from PATH), else the absolute path of this executable (e.g. after `swift run`).
    static var invocation: String {
        let program = CommandLine.arguments.first ?? "medledger"
        guard program.contains("/") else { return program }
        return URL(fileURLWithPath: program).standardizedFileURL.path
    }

    static func banner(network: DevNetwork, address: String, created: Bool) -> String {
        let identities = DevNetwork.demoIdentities.map { demo in
            let role = demo.role.certificateName ?? "\(demo.role)"
            let name = demo.name.padding(toLength: 18, withPad: " ", startingAt: 0)
            return "  \(name) \(role) of \(demo.organization)"
        }
        let folder = network.identitiesDirectory.path
        let data = network.dataDirectory.path
        let medledger = Self.invocation
        return """
            MedLedger development network listening on \(address) (gRPC over TLS 1.3)
            Data: \(data)\(created ? " (created now)" : " (reused)")
            Organisations: \(DevNetwork.organizations.map(\.mspID).joined(separator: ", "))
            Channels: \(DevNetwork.channels.map { "\($0.id) (\($0.members.joined(separator: ", ")))" }.joined(separator: "; "))
            Identities in \(folder)/:
            \(identities.joined(separator: "\n"))

            Each command takes --identity \(folder)/NAME and --address \(address).
            Try it in another terminal. The network starts empty: the demo story registers patients
            P-001..P-003 and their records, so run these in this order:
              \(medledger) channel list --identity \(folder)/hospitala-admin --address \(address)
              \(medledger) demo --data \(data) --address \(address)      # play the whole story
              \(medledger) record list --identity \(folder)/patient-1 --address \(address) --patient-id P-001
              \(medledger) audit list --identity \(folder)/patient-1 --address \(address) --patient-id P-001
            Then see it in a browser: each identity's web app prints the URL to open (keep it running),
            portal: \(medledger) portal --identity \(folder)/patient-1 --address \(address)

            """
    }
}
