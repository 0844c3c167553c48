import CertificateAuthority
import Foundation
import GRPCCore
import Identity
import LedgerCore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import SwiftASN1
import Testing
import Wire
import X509

@Suite("medledger dev: four organisations, two channels, demo identities, over real mTLS")
struct DevNetworkTests {
    @Test func theFirstStartCreatesTheNetworkAndALaterStartReusesIt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let roots = try await withDevNetwork(in: directory.url) { dev in
            #expect(dev.created)
            #expect(dev.node.ledger.channelIDs == ["ehr", "hospitals"])
            let membership = try Membership(organizations: dev.node.authorities.flatMap { try $0.membership().organizations })
            for demo in DevNetwork.demoIdentities {
                let folder = dev.network.identity(demo.name)
                let identity = try membership.validate(try folder.loadCertificate(), at: Date())
                #expect(identity.role == demo.role, "\(demo.name)")
                // Named as their folders are: the four admins are not all "admin".
                #expect(identity.enrollmentID == demo.name)
                #expect(identity.mspID == DevNetwork.organizations.first { $0.name == demo.organization }?.mspID)
                let mode = try FileManager.default.attributesOfItem(atPath: folder.keyPath)[.posixPermissions] as? Int
                #expect(mode == 0o600, "\(folder.keyPath)")
            }
            let channels = try await dev.withClient(as: "hospitala-admin") { client in
                try await Medledger_V1_Admin.Client(wrapping: client).listChannels(.init(), options: callOptions()).channels
            }
            #expect(channels.map(\.channelID) == ["ehr", "hospitals"])
            // One node per data directory: a second one is refused, naming the holder.
            let second = #expect(throws: (any Error).self) {
                _ = try DevNetwork(dataDirectory: directory.url).openNode(configuration: ServerConfiguration(dataDirectory: directory.url, port: 0))
            }
            #expect("\(second.map { "\($0)" } ?? "")".contains("in use by another MedLedger node (pid \(getpid()))"))
            return dev.node.authorities.map { $0.authority.rootCertificate }
        }
        try await withDevNetwork(in: directory.url) { dev in
            #expect(!dev.created)
            #expect(dev.node.ledger.channelIDs == ["ehr", "hospitals"])
            #expect(dev.node.authorities.map { $0.authority.rootCertificate } == roots)
        }
    }

    @Test func eachOrganisationsClientsAreEndorsedByTheirOwnOrganisationsPeer() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let bob = try dev.user("dr-bob")
            let endorsers = try await dev.withClient(as: "dr-bob") { client in
                let (signed, txID) = try TransactionProposal.make(
                    channel: "ehr", chaincode: "asset", function: "CreateAsset",
                    args: [Data("x-1".utf8), Data(#"{"owner":"bob","value":1}"#.utf8)], signer: bob.signer)
                let endorsed = try await Medledger_V1_Gateway.Client(wrapping: client)
                    .endorse(TransactionProposal.endorseRequest(signed, txID: txID, channel: "ehr"), options: callOptions())
                let transaction = try Medledger_V1_Transaction(serializedData: endorsed.preparedTransaction?.payload ?? Data())
                guard case .endorserTransaction(let body)? = transaction.body else { return [String]() }
                return try body.endorsements.map { endorsement in
                    try dev.node.ledger.membership(local: Membership(organizations: []))
                        .validate(try Certificate(derEncoded: Array(endorsement.endorser)), at: Date()).mspID
                }
            }
            #expect(endorsers == ["HospitalBMSP"])

            try await dev.withClient(as: "dr-bob") { client in
                let gateway = LedgerGateway(client: client, signer: bob.signer, channel: "hospitals", options: callOptions())
                let committed = try await gateway.submit("asset", "CreateAsset", ["x-2", #"{"owner":"bob","value":2}"#])
                #expect(committed.status.result == .valid)
            }
        }
    }

    @Test func pharmaCoIsNoMemberOfTheHospitalsChannel() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let researcher = try dev.user("researcher")
            let denied = try await dev.withClient(as: "researcher") { client in
                let gateway = LedgerGateway(client: client, signer: researcher.signer, channel: "hospitals", options: callOptions())
                return await #expect(throws: RPCError.self) { try await gateway.evaluate("asset", "GetAllAssets") }
            }
            #expect(denied?.code == .permissionDenied)
        }
    }

    @Test func eachOrganisationsAdminRegistersWithItsOwnCAAndEnrollmentNamesTheCA() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withDevNetwork(in: directory.url) { dev in
            let secret = try await dev.withClient(as: "hospitalb-admin") { client in
                var register = Medledger_V1_RegisterRequest()
                register.enrollmentID = "patient-9"
                register.role = .patient
                return try await Medledger_V1_CertificateAuthority.Client(wrapping: client).register(register, options: callOptions()).secret
            }
            let (_, csr) = try IdentityFolder.makeCSR(commonName: "patient-9")
            let enrolled = try await withClient(
                address: dev.address, trusting: dev.network.identity("dr-bob").tlsTrustPath, as: try dev.user("dr-bob")
            ) { client in
                let ca = Medledger_V1_CertificateAuthority.Client(wrapping: client)
                var enroll = Medledger_V1_EnrollRequest()
                enroll.enrollmentID = "patient-9"
                enroll.secret = secret
                enroll.csr = Data(csr)
                let wrongCA = await #expect(throws: RPCError.self) { try await ca.enroll(enroll, options: callOptions()) }
                #expect(wrongCA != nil)
                enroll.mspID = "HospitalBMSP"
                return try await ca.enroll(enroll, options: callOptions())
            }
            let hospitalB = try #require(dev.node.authorities.first { $0.mspID == "HospitalBMSP" })
            #expect(enrolled.caChain.first == Data(try hospitalB.authority.rootCertificate.derBytes))
        }
    }
}
