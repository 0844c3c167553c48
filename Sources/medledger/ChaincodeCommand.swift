internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit
internal import Schema

/// `medledger chaincode invoke|query`: run a contract function as the given identity.
struct ChaincodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaincode",
        abstract: "Invoke or query a contract on a channel.",
        subcommands: [Invoke.self, Query.self]
    )

    struct Call: ParsableArguments {
        @OptionGroup var connection: NodeConnectionOptions
        @Option(help: "The channel.") var channel: String
        @Option(help: "The contract, e.g. asset.") var contract: String
        @Argument(help: "The function, then its arguments (UTF-8 strings).") var call: [String]

        func gateway<Result: Sendable>(_ body: (LedgerGateway<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
            guard let identity = connection.identity else { throw ValidationError("give --identity DIR") }
            guard !call.isEmpty else { throw ValidationError("name the function to call") }
            let signer = try identity.loadSigner()
            return try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await body(LedgerGateway(client: client, signer: signer, channel: channel))
                }
            }
        }
    }

    struct Invoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Endorse, sign, submit and wait for the commit; prints the response and validation code.")

        @OptionGroup var call: Call

        func run() async throws {
            let committed = try await call.gateway { gateway in
                try await gateway.submit(call.contract, call.call[0], Array(call.call.dropFirst()))
            }
            print(String(decoding: committed.response.payload, as: UTF8.self))
            print("tx \(committed.txID): \(committed.status.result) in block \(committed.status.blockNumber)")
            if committed.status.result != .valid { throw ExitCode(1) }
        }
    }

    struct Query: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Evaluate a function without ordering it; prints its response.")

        @OptionGroup var call: Call

        func run() async throws {
            let response = try await call.gateway { gateway in
                try await gateway.evaluate(call.contract, call.call[0], Array(call.call.dropFirst()))
            }
            print(String(decoding: response.payload, as: UTF8.self))
        }
    }
}
