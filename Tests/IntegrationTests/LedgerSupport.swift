import Crypto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import CertificateAuthority
import LedgerCore
import MedLedgerKit
import Schema
import Server
import SwiftASN1
import X509

/// An identity a test acts as: its signer and certificate.
struct TestUser: Sendable {
    let signer: RequestSigner
    let certificate: Certificate

    init(_ ca: OrganizationCA, _ name: String, _ role: Medledger_V1_Role) throws {
        (signer, certificate) = try ca.enrollSigner(enrollmentID: name, role: role)
    }

    init(folder: IdentityFolder) throws {
        certificate = try folder.loadCertificate()
        signer = RequestSigner(key: try folder.loadKey(), certificateDER: Data(try certificate.derBytes))
    }
}

/// Runs `body` with a client connected over mTLS as `user`, trusting the node's TLS CA.
func withClient<Result: Sendable>(
    _ running: RunningServer, as user: TestUser,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    try await withClient(address: running.address, trusting: running.caCertificatePath, as: user, body)
}

/// Runs `body` with a client connected over mTLS to `address` as `user`, trusting only `caCertificatePath`.
func withClient<Result: Sendable>(
    address: ListeningAddress, trusting caCertificatePath: String, as user: TestUser,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    let certificatePEM = try user.certificate.serializeAsPEM().pemString
    let keyPEM = user.signer.key.pemRepresentation
    let transport = try HTTP2ClientTransport.Posix(
        target: .ipv4(address: address.host, port: address.port),
        transportSecurity: .tls { tls in
            tls.trustRoots = .certificates([.file(path: caCertificatePath, format: .pem)])
            tls.certificateChain = [.bytes(Array(certificatePEM.utf8), format: .pem)]
            tls.privateKey = .bytes(Array(keyPEM.utf8), format: .pem)
        }
    )
    return try await withGRPCClient(transport: transport) { client in try await body(client) }
}

/// Runs `body` with a gateway for `user` on `channel`.
func withGateway<Result: Sendable>(
    _ running: RunningServer, as user: TestUser, channel: String,
    _ body: (LedgerGateway<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    try await withClient(running, as: user) { client in
        try await body(LedgerGateway(client: client, signer: user.signer, channel: channel, options: callOptions()))
    }
}

/// A channel configuration of `organizations` where any one organisation's peer endorses.
func channelConfig(_ id: String, _ organizations: [OrganizationCA], batch: Medledger_V1_BatchParameters? = nil) throws -> Medledger_V1_ChannelConfig {
    channelConfig(id, organizations: try organizations.map { try $0.channelOrganization() }, batch: batch)
}

/// A channel configuration of `organizations` where any one organisation's peer endorses.
func channelConfig(
    _ id: String, organizations: [Medledger_V1_OrganizationConfig], batch: Medledger_V1_BatchParameters? = nil
) -> Medledger_V1_ChannelConfig {
    .anyPeerEndorses(channelID: id, organizations: organizations, batch: batch)
}

/// Creates `config` through the Admin service as the node's bootstrap admin.
@discardableResult
func createChannel(_ running: RunningServer, _ config: Medledger_V1_ChannelConfig) async throws -> Medledger_V1_Block {
    try await createChannel(address: running.address, trusting: running.caCertificatePath, as: try TestUser(folder: running.admin), config)
}

/// Creates `config` through the Admin service of the node at `address`, as `admin`.
@discardableResult
func createChannel(
    address: ListeningAddress, trusting caCertificatePath: String, as admin: TestUser, _ config: Medledger_V1_ChannelConfig
) async throws -> Medledger_V1_Block {
    try await withClient(address: address, trusting: caCertificatePath, as: admin) { client in
        var request = Medledger_V1_CreateChannelRequest()
        request.config = config
        return try await Medledger_V1_Admin.Client(wrapping: client).createChannel(request, options: callOptions()).genesisBlock ?? .init()
    }
}

/// An in-memory organisation CA.
func makeOrganization(_ mspID: String) throws -> OrganizationCA {
    OrganizationCA(authority: try CertificateAuthority.create(mspID: mspID, name: "\(mspID) CA"), store: try RegistrationStore(path: nil))
}
