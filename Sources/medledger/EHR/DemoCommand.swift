internal import ArgumentParser
internal import Foundation
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit

/// `medledger demo`: plays the whole health-record story against a running `medledger dev`
/// network through the public API, as the demo identities, printing what happens at each step.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the health-record story against a running development network (medledger dev).",
        discussion: """
            Register patients, add records, a denied read, consent, an audited read, break-glass, a \
            research study two of three patients approve and its de-identified export, revocation, \
            erasure, and the auditor re-verifying the chain. Record and study IDs are new on every run.
            """
    )

    @Option(name: .customLong("data"), help: ArgumentHelp("The dev network's data directory.", valueName: "DIR"))
    var dataDirectory = "./medledger-data"

    @Option(help: "The network's address, HOST:PORT.")
    var address = NodeConnectionOptions.defaultAddress

    func run() async throws {
        let identities = IdentityDirectory.developmentNetwork(dataDirectory: URL(fileURLWithPath: dataDirectory))
        guard FileManager.default.fileExists(atPath: identities.identity("dr-alice").certificatePath) else {
            throw ValidationError("\(identities.url.path) holds no demo identities; start `medledger dev --data \(dataDirectory)` first")
        }
        let story = DemoStory(identities: identities, address: address, run: DemoStory.runTag())
        do {
            try await story.play()
        } catch let failure as DemoFailure {
            FileHandle.standardError.write(Data("demo failed: \(failure.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
