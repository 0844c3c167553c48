internal import ArgumentParser
internal import Foundation
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import MedLedgerKit

/// What every health-record command takes: where the node is, who the caller is (`--identity`),
/// the channel (`ehr` by default) and whether to print JSON.
struct EHRClientOptions: ParsableArguments {
    @OptionGroup var connection: NodeConnectionOptions

    @Option(help: "The channel of the health records.")
    var channel = "ehr"

    @Flag(help: "Print the ledger's JSON instead of text.")
    var json = false

    /// Runs `body` with the SDK acting as `--identity`; failures are printed as one line and exit 1.
    func withRecords<Result: Sendable>(_ body: (HealthRecords<HTTP2ClientTransport.Posix>) async throws -> Result) async throws -> Result {
        guard let identity = connection.identity else { throw ValidationError("give --identity DIR (an enrolled identity folder)") }
        let signer = try identity.loadSigner()
        return try await reportingRPCErrors {
            do {
                return try await connection.withNodeClient(requireIdentity: true) { client in
                    try await body(HealthRecords(client: client, signer: signer, channel: channel))
                }
            } catch let error as HealthRecordsError {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// Prints `value` as sorted, indented JSON when `--json`, else the lines `text` gives.
    func output<Value: Encodable>(_ value: Value, text: (Value) -> [String]) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } else {
            for line in text(value) { print(line) }
        }
    }
}

/// Unix seconds as an ISO 8601 UTC time, for text output.
func isoTime(_ seconds: Int64?) -> String {
    guard let seconds else { return "-" }
    return Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
}
