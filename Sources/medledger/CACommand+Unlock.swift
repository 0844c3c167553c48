internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Schema

extension CACommand {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock an identity that too many wrong secrets locked; prints its new one-time secret (admin).",
            discussion: "The CA records who unlocked it and when; `ca list` shows locked identities and how often each was unlocked.")

        @OptionGroup var connection: NodeConnectionOptions
        @Option(name: .customLong("id"), help: "The locked identity's enrollment ID.") var enrollmentID: String

        func run() async throws {
            var request = Medledger_V1_UnlockRequest()
            request.enrollmentID = enrollmentID
            let response = try await reportingRPCErrors {
                try await connection.withClient(requireIdentity: true) { try await $0.unlock(request) }
            }
            print("Unlocked \(enrollmentID) after \(response.failedAttempts) wrong secrets; new enrollment secret (shown once): \(response.secret)")
        }
    }
}
