import CertificateAuthority
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerCore
import LocalNetwork
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

extension MultiNodeNetwork {
    /// What nodes of the network refuse, and how: each refusal has the right status and a message
    /// naming what failed, and nothing is written.
    @Suite("Network refusals", .serialized, .timeLimit(.minutes(6)))
    struct NetworkRefusalTests {
        @Test func forgedJoinsOutsidersAndStrayBroadcastsAreRefusedByName() async throws {
            try await withNetwork { network in
                let hospitalB = network.organization("HospitalB")
                let genesisFile = network.layout.genesisFile("hospitals")
                let genesis = try Medledger_V1_Block(serializedData: Data(contentsOf: genesisFile))

                // A configuration that names HospitalB with an attacker's root, signed by the attacker's orderer.
                let attacker = OrganizationCA(
                    authority: try CertificateAuthority.create(mspID: "HospitalBMSP", name: "forged CA"), store: try RegistrationStore(path: nil))
                let attackerOrderer = try attacker.enrollSigner(enrollmentID: "orderer", role: .orderer).signer
                var forgedConfig = try #require(BlockAssembly.genesisConfig(in: genesis))
                forgedConfig.channelID = "forged"
                forgedConfig.organizations = [try attacker.channelOrganization()]
                let forged = try BlockAssembly.genesis(config: forgedConfig, orderer: attackerOrderer, now: Date())
                let refusedForged = await joinError(network, node: hospitalB.peer, admin: hospitalB.admin, forged)
                #expect(refusedForged?.code == .unauthenticated)
                #expect(refusedForged?.message.contains("roots other than this node's CA") == true, "\(refusedForged?.message ?? "")")

                // The real configuration with its orderer signature broken.
                var unsigned = genesis
                unsigned.metadata?.signature = Data(repeating: 1, count: 70)
                let refusedUnsigned = await joinError(network, node: hospitalB.orderer!, admin: hospitalB.admin, unsigned)
                #expect(refusedUnsigned?.code == .unauthenticated)
                #expect(refusedUnsigned?.message.contains("orderer signature") == true, "\(refusedUnsigned?.message ?? "")")

                // A real orderer's genesis block that only HospitalA's admin approved: refused, since
                // the configuration's own admin policy needs a majority of its members' admins.
                let hospitalA = network.organization("HospitalA")
                let realOrderer = try OrdererNode.identityFolder(in: network.nodeDirectory(hospitalA.orderer!)).loadSigner()
                var unapprovedConfig = try #require(BlockAssembly.genesisConfig(in: genesis))
                unapprovedConfig.channelID = "unapproved"
                let onlyA = try ConfigUpdate.approve(
                    unapprovedConfig, by: IdentityFolder(directory: network.directory.appendingPathComponent(hospitalA.admin)).loadSigner())
                let unapproved = try BlockAssembly.genesis(config: unapprovedConfig, orderer: realOrderer, approvals: [onlyA], now: Date())
                let refusedUnapproved = await joinError(network, node: hospitalB.peer, admin: hospitalB.admin, unapproved)
                #expect(refusedUnapproved?.code == .unauthenticated)
                #expect(
                    refusedUnapproved?.message.contains("lacks its members' approval") == true
                        && refusedUnapproved?.message.contains("approved by [hospitala-admin@HospitalAMSP") == true,
                    "\(refusedUnapproved?.message ?? "")")

                // A clinician is no admin: JoinChannel is refused before anything is read.
                let byClinician = await joinError(network, node: hospitalB.peer, admin: "identities/dr-bob", genesis)
                #expect(byClinician?.code == .permissionDenied)
                #expect(byClinician?.message.contains("requires role admin") == true, "\(byClinician?.message ?? "")")

                // PharmaCo is not a member of channel hospitals: an orderer delivers nothing to it.
                let regulatorOrderer = network.organization("Regulator").orderer!
                let hospitalAOrderer = network.organization("HospitalA").orderer!
                let outsider = try await deliverError(network, node: hospitalAOrderer, as: "identities/researcher", channel: "hospitals")
                #expect(outsider?.code == .permissionDenied)
                #expect(outsider?.message.contains("channel 'hospitals' does not exist or PharmaCoMSP is not a member") == true, "\(outsider?.message ?? "")")

                // The Regulator's orderer does not serve channel hospitals: a peer's broadcast for it is refused by name.
                let stray = try await broadcastError(network, node: regulatorOrderer, asPeerOf: "HospitalA", channel: "hospitals")
                #expect(stray?.code == .permissionDenied)
                #expect(stray?.message.contains("channel 'hospitals' does not exist or HospitalAMSP is not a member") == true, "\(stray?.message ?? "")")

                // Nothing was written: no node lists the forged channel.
                try await network.command(["down"])
                #expect(!FileManager.default.fileExists(atPath: network.nodeDirectory(hospitalB.peer).appendingPathComponent("ledger/forged").path))
                #expect(!FileManager.default.fileExists(atPath: network.nodeDirectory(hospitalB.peer).appendingPathComponent("ledger/unapproved").path))
            }
        }

        @Test func aPeerRefusesABlockThatFailsVerificationNamesItAndFailsOver() async throws {
            try await withNetwork { network in
                var acknowledged: [String] = []
                try await network.withGateway("dr-alice", at: "HospitalA") { gateway in
                    for index in 0..<5 { acknowledged.append(try await gateway.submit("asset", "Put", ["k\(index)", "v"]).txID) }
                }
                // HospitalA's orderer, first in the configuration, now serves block 3 with a broken signature.
                let tampered = network.organization("HospitalA").orderer!
                await network.process(tampered).stop()
                let blocks = network.nodeDirectory(tampered).appendingPathComponent("channels/ehr/blocks.sqlite").path
                _ = try await runProcess([
                    "python3", "-c",
                    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); b=bytearray(c.execute('select bytes from block where number=3').fetchone()[0]); b[-1]^=1; c.execute('update block set bytes=? where number=3',(bytes(b),)); c.commit()",
                    blocks,
                ]).requireSuccess()
                // The Regulator's peer loses its copy and joins again: it pulls from HospitalA's orderer first.
                let regulator = network.organization("Regulator").peer
                try await network.rejoinRegulatorPeerFromBlock0(untilItReads: "k4")
                let log = (try? String(contentsOf: network.process(regulator).logFile, encoding: .utf8)) ?? ""
                let refusal = log.split(separator: "\n").first { $0.contains("refused a block from an orderer") }
                #expect(refusal?.contains("block=3") == true, "\(log.suffix(2_000))")
                #expect(refusal?.contains("orderer=\(tampered.address)") == true)
                #expect(refusal?.contains("signature") == true)
                try await network.command(["down"])
                let outputs = try await network.verifyEveryNode(except: [tampered.name])
                #expect(Set(outputs.values.map { RunningNetwork.tip(of: "ehr", in: $0) }).count == 1, "\(outputs)")
            }
        }

        func joinError(_ network: RunningNetwork, node: NetworkPlan.Node, admin: String, _ genesis: Medledger_V1_Block) async -> RPCError? {
            var request = Medledger_V1_JoinChannelRequest()
            request.genesisBlock = genesis
            return await refusal {
                _ = try await network.withNodeClient(node, as: admin) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).joinChannel(request, options: callOptions())
                }
            }
        }

        func deliverError(_ network: RunningNetwork, node: NetworkPlan.Node, as user: String, channel: String) async throws -> RPCError? {
            var request = Medledger_V1_DeliverRequest()
            request.channelID = channel
            return await refusal {
                try await network.withNodeClient(node, as: user) { client in
                    try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: callOptions()) { response in
                        for try await _ in response.messages {}
                    }
                }
            }
        }

        func broadcastError(_ network: RunningNetwork, node: NetworkPlan.Node, asPeerOf organization: String, channel: String) async throws -> RPCError? {
            var request = Medledger_V1_BroadcastRequest()
            request.channelID = channel
            request.envelope = Data([0x0a, 0x00])
            let peerIdentity = "nodes/\(network.organization(organization).peer.name)/peer"
            return await refusal {
                _ = try await network.withNodeClient(node, as: peerIdentity) { client in
                    try await Medledger_V1_Orderer.Client(wrapping: client).broadcast(request, options: callOptions())
                }
            }
        }

        /// The gRPC status `call` was refused with; nil if it succeeded (or failed otherwise).
        func refusal(_ call: () async throws -> Void) async -> RPCError? {
            do {
                try await call()
                return nil
            } catch {
                return error as? RPCError
            }
        }
    }
}

extension RunningNetwork {
    /// Stops the Regulator's peer, removes its copy of channel ehr and starts it again, so that it
    /// joins from block 0; returns once its auditor reads asset `key` there.
    func rejoinRegulatorPeerFromBlock0(untilItReads key: String) async throws {
        let regulator = organization("Regulator").peer
        await process(regulator).stop()
        try FileManager.default.removeItem(at: nodeDirectory(regulator).appendingPathComponent("ledger/ehr"))
        try await command(["up"])
        _ = try await eventually(timeout: .seconds(30)) {
            try await withGateway("auditor", at: "Regulator") { gateway in
                let value = try await gateway.evaluate("asset", "Get", [key])
                guard !value.payload.isEmpty else { throw OrderingTestError.notYet }
                return value
            }
        }
    }

    /// Runs `body` with a client of `node` authenticated as the identity folder at `identity`
    /// (relative to the network directory), trusting the node's organisation root.
    func withNodeClient<Result: Sendable>(
        _ node: NetworkPlan.Node, as identity: String, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let folder = IdentityFolder(directory: directory.appendingPathComponent(identity, isDirectory: true))
        return try await withClient(
            address: ListeningAddress(host: "127.0.0.1", port: node.port),
            trusting: nodeDirectory(node).appendingPathComponent("tls/ca.pem").path, as: try TestUser(folder: folder), body)
    }
}
