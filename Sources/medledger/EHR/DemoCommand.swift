internal import ArgumentParser
internal import Foundation
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit

/// `medledger demo`: plays the whole health-record story through the public API, as the demo
/// identities, printing what happens at each step — against a running `medledger dev`, or with
/// `--network DIR` against `medledger network up`, each identity at its own organisation's peer.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the health-record story against medledger dev, or a network of nodes (--network).",
        discussion: """
            Register patients, add records, a denied read, consent, an audited read, break-glass, a \
            research study two of three patients approve and its de-identified export, revocation, \
            erasure, and the auditor re-verifying the chain. Record and study IDs are new on every run. \
            With --network, each identity calls its own organisation's peer, each step first waits \
            until that peer has committed what earlier steps wrote, and HospitalA's peer is stopped \
            (and restarted) while HospitalB reads a record HospitalA wrote.
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("The dev network's data directory.", valueName: "DIR"))
    var dataDirectory = "./medledger-data"

    @Option(help: "The network's address, HOST:PORT.")
    var address = NodeConnectionOptions.defaultAddress

    @Option(
        name: .customLong("network"),
        help: ArgumentHelp("A network of nodes (`medledger network up --data DIR`), or its network.json; replaces --data and --address.", valueName: "DIR"))
    var networkDirectory: String?

    func run() async throws {
        do {
            let story = DemoStory(nodes: try nodes(), run: DemoStory.runTag())
            try await story.play()
        } catch let failure as DemoFailure {
            FileHandle.standardError.write(Data("demo failed: \(failure.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func nodes() throws -> DemoNodes {
        if let networkDirectory {
            var directory = URL(fileURLWithPath: networkDirectory).standardizedFileURL
            if directory.lastPathComponent == "network.json" { directory.deleteLastPathComponent() }
            return try DemoNodes.network(directory: directory)
        }
        let identities = IdentityDirectory.developmentNetwork(dataDirectory: URL(fileURLWithPath: dataDirectory))
        guard FileManager.default.fileExists(atPath: identities.identity("dr-alice").certificatePath) else {
            throw ValidationError("\(identities.url.path) holds no demo identities; start `medledger dev --data \(dataDirectory)` first")
        }
        return .development(identities: identities, address: address)
    }
}
