import CertificateAuthority
import Crypto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Identity
import LedgerCore
import MedLedgerKit
import MedLedgerTesting
import Schema
import Server
import SwiftASN1
import X509

extension TestUser {
    /// A new identity enrolled with `ca`.
    init(_ ca: OrganizationCA, _ name: String, _ role: Medledger_V1_Role) throws {
        let (signer, certificate) = try ca.enrollSigner(enrollmentID: name, role: role)
        self.init(signer: signer, certificate: certificate)
    }
}

/// Runs `body` with a client connected over mTLS as `user`, trusting the node's TLS CA.
func withClient<Result: Sendable>(
    _ running: RunningServer, as user: TestUser,
    _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
) async throws -> Result {
    try await MedLedgerTesting.withClient(address: running.address, trusting: running.caCertificatePath, as: user, body)
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
