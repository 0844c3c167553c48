import Crypto
import Foundation
import GRPCNIOTransportHTTP2
import GRPCCore
import Identity
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing
import SwiftASN1
import X509

/// Every RPC of every service driven with hostile values — empty, NUL, not UTF-8, a megabyte,
/// negative, out of range, a message over the 4 MiB limit, bytes that are no protobuf — over
/// real mTLS on the development network. Each gets the status its case names, and no status
/// message is longer than a few hundred bytes (a client refuses larger trailers), whatever the
/// input it quotes.
@Suite("Hostile input gets a specific status and a short message on every RPC", .timeLimit(.minutes(10)))
struct HostileInputTests {
    static let messageLimit = 600

    @Test func everyRPCRefusesHostileInputWithTheRightStatus() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let patient = Data(try dev.network.identity("patient-1").loadCertificate().derBytes)
            try await dev.records(as: "dr-alice") { try await $0.registerPatient(HostileInputCases.patientID, certificateDER: patient) }

            let cases = HostileInputCases.everyMethod() + (try HostileInputCases.fieldValues(signer: try dev.user("dr-alice").signer))
            let covered = Set(cases.map(\.method.fullyQualifiedMethod))
            #expect(covered == Set(HostileInputCases.methods.map(\.method.fullyQualifiedMethod)), "every RPC is driven")
            for (method, shape, caller) in HostileInputCases.methods {
                try await Self.withClient(dev, as: caller) { client in
                    for hostile in cases where hostile.method == method {
                        let outcome = await rawCall(client, method, shape: shape, messages: hostile.messages)
                        #expect(outcome.code == hostile.expected, "\(hostile): \(outcome.code.map { "\($0)" } ?? "OK") \(outcome.message.prefix(300))")
                        #expect(outcome.message.utf8.count <= Self.messageLimit, "\(hostile): a \(outcome.message.utf8.count)-byte message")
                        if let mentions = hostile.mentions {
                            #expect(outcome.message.contains(mentions), "\(hostile): \(outcome.message.prefix(300))")
                        }
                    }
                }
            }
            // Between nodes only: a clinician is refused whatever the request holds.
            let clinician = try await dev.withClient(as: "dr-alice") { client in
                await rawCall(client, Medledger_V1_Records.Method.HoldReplica.descriptor, shape: .unary, messages: [[]])
            }
            #expect(clinician.code == .permissionDenied && clinician.message.contains("requires role peer"), "\(clinician.message)")
        }
    }

    /// A client of the development network as the demo identity `caller`, or as the node itself.
    static func withClient<Result: Sendable>(
        _ dev: RunningDevNetwork, as caller: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        guard caller == HostileInputCases.nodeCaller else { return try await dev.withClient(as: caller, body) }
        let tls = dev.network.dataDirectory.appendingPathComponent("tls", isDirectory: true)
        let node = try TestUser.node(tlsDirectory: tls)
        return try await MedLedgerTesting.withClient(
            address: dev.address, trusting: tls.appendingPathComponent("ca.pem").path, as: node, body)
    }
}
