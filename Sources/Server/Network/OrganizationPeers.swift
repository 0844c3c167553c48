internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import LedgerCore
internal import Schema

/// Calls to another organisation's node on a channel: its peers' addresses come from the
/// channel's configuration, the connection is mTLS trusting the members' roots, and when a peer
/// cannot be reached (UNAVAILABLE, DEADLINE_EXCEEDED) the organisation's next peer is tried. A
/// refusal is the same at every peer of an organisation, so it is relayed at once, naming the peer.
struct OrganizationPeers: Sendable {
    let connections: NodeConnections

    /// How long one call to another node may take unless the caller says otherwise.
    static let timeout: Duration = .seconds(10)

    /// `body` run against a peer of `organization` on the channel of `context`; `what` says what
    /// the call does, for the messages ("endorse transaction T", "release the key of R").
    func call<Result: Sendable>(
        _ organization: String, on context: ChannelContext, to what: String, timeout: Duration = Self.timeout,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>, CallOptions, String) async throws -> Result
    ) async throws(GatewayError) -> Result {
        let config = context.config
        let endpoints = config.organizations.first { $0.mspID == organization }?.peerEndpoints ?? []
        guard !endpoints.isEmpty else {
            throw .unavailable("channel \(config.channelID)'s configuration names no peer of \(organization), which must \(what)")
        }
        var failures: [String] = []
        for endpoint in endpoints {
            do {
                let client = try connections.client(endpoint, trusting: config.organizations.flatMap(\.rootCerts))
                var options = CallOptions.defaults
                options.timeout = timeout
                options.waitForReady = false
                return try await body(client, options, endpoint)
            } catch let error as GatewayError {
                throw error
            } catch let error as RPCError where error.code != .unavailable && error.code != .deadlineExceeded {
                throw GatewayError(relaying: error, as: "the peer of \(organization) at \(endpoint) refused to \(what): \(error.message)")
            } catch {
                failures.append("\(endpoint): \(error)")
            }
        }
        throw .unavailable("no peer of \(organization) could \(what): \(failures.joined(separator: "; "))")
    }
}
