internal import Foundation
internal import GRPCCore
internal import LedgerCore
internal import Logging
internal import Schema
internal import Synchronization

/// A peer's way to the ordering service of one channel: the orderer endpoints of every member
/// organisation (from the channel configuration), trusted by the members' roots. It forwards
/// transactions (`Broadcast`, following a follower's pointer to the leader and riding through a
/// failover) and pulls the ordered chain (`Deliver`), failing over to another orderer when one
/// is unreachable or sends a block that does not verify.
final class RemoteOrdering: Sendable {
    private let current: CurrentChannelContext
    private let connections: NodeConnections
    private let logger: Logger
    /// The orderer that accepted the last broadcast, tried first next time.
    private let preferred = Mutex<String?>(nil)
    /// How long a broadcast keeps trying (a leader failover takes a few seconds).
    static let broadcastPatience: Duration = .seconds(15)

    init(current: CurrentChannelContext, connections: NodeConnections, logger: Logger) {
        self.current = current
        self.connections = connections
        self.logger = logger
    }

    /// The channel's configuration in force now: its orderers change with it.
    private var context: ChannelContext { current.context }

    var endpoints: [String] { context.config.organizations.flatMap(\.ordererEndpoints) }
    private var roots: [Data] { context.config.organizations.flatMap(\.rootCerts) }

    /// Forwards `envelope` until an orderer makes it final; returns its block number.
    func broadcast(_ envelope: Data) async throws(GatewayError) -> UInt64 {
        let channelID = context.channelID
        guard !endpoints.isEmpty else { throw .unavailable("channel \(channelID)'s configuration names no orderer") }
        var request = Medledger_V1_BroadcastRequest()
        request.channelID = channelID
        request.envelope = envelope
        let deadline = ContinuousClock.now + Self.broadcastPatience
        var failures: [String: String] = [:]
        var withoutConsensus: Set<String> = []
        var next = preferred.withLock { $0 } ?? endpoints[0]
        var round = 0
        while ContinuousClock.now < deadline {
            let endpoint = next
            do {
                let client = try connections.client(endpoint, trusting: roots)
                var options = CallOptions.defaults
                options.timeout = .seconds(10)
                options.waitForReady = false
                let response = try await Medledger_V1_Orderer.Client(wrapping: client).broadcast(request, options: options)
                preferred.withLock { $0 = endpoint }
                return response.blockNumber
            } catch let error as RPCError where error.code == .unavailable || error.code == .deadlineExceeded {
                failures[endpoint] = "\(error.code): \(error.message)"
                if error.metadata[stringValues: OrdererService.noConsensusMetadataKey].contains(where: { _ in true }) {
                    withoutConsensus.insert(endpoint)
                    // Every orderer that answers says etcd has no quorum: waiting cannot help now.
                    if Set(endpoints).subtracting(withoutConsensus).allSatisfy({ failures[$0] != nil }) {
                        throw .unavailable("orderer \(endpoint): \(error.message)")
                    }
                }
                // Follow a pointer to the leader, unless that leader already failed in this call
                // (it may have died before its lease ran out): then wait like any other round.
                if let leader = error.metadata[stringValues: OrdererService.leaderMetadataKey].first(where: { _ in true }),
                    leader != endpoint, endpoints.contains(leader), failures[leader] == nil
                {
                    next = leader
                    continue
                }
                round += 1
                next = endpoints[(endpoints.firstIndex(of: endpoint).map { $0 + 1 } ?? 0) % endpoints.count]
                if round % endpoints.count == 0 { try? await Task.sleep(for: .milliseconds(250)) }
            } catch let error as RPCError {
                throw Self.refusal(error, by: endpoint)
            } catch {
                throw .unavailable("cannot reach orderer \(endpoint): \(error)")
            }
        }
        let summary = failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
        throw .unavailable("no orderer of channel \(channelID) ordered the transaction within \(Self.broadcastPatience): \(summary)")
    }

    /// An orderer's refusal as this gateway reports it, keeping its status class.
    private static func refusal(_ error: RPCError, by endpoint: String) -> GatewayError {
        GatewayError(relaying: error, as: "orderer \(endpoint) refused the transaction: \(error.message)")
    }

    /// Pulls blocks after `committer`'s tip from the orderers and commits them, until cancelled
    /// or the committer fails to store a block (then the channel stops, as with local ordering).
    func pull(into committer: ChannelCommitter, halt: CommitHalt) async {
        var index = 0
        while !Task.isCancelled {
            let endpoints = endpoints
            guard !endpoints.isEmpty else { return }
            let endpoint = endpoints[index % endpoints.count]
            index += 1
            do {
                try await pull(from: endpoint, into: committer)
            } catch is CancellationError {
                return
            } catch let refused as ChainVerificationFailure {
                logger.error(
                    "refused a block from an orderer; trying another",
                    metadata: ["channel": "\(context.channelID)", "orderer": "\(endpoint)", "block": "\(refused.block)", "reason": "\(refused.reason)"])
            } catch let error as LedgerError {
                logger.critical("cannot commit; channel stopped", metadata: ["channel": "\(context.channelID)", "error": "\(error)"])
                halt.stop(because: "\(error)")
                return
            } catch {
                if Task.isCancelled { return }
                logger.debug("block delivery interrupted", metadata: ["channel": "\(context.channelID)", "orderer": "\(endpoint)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    private func pull(from endpoint: String, into committer: ChannelCommitter) async throws {
        var request = Medledger_V1_DeliverRequest()
        request.channelID = context.channelID
        request.start = .block(committer.tipNumber + 1)
        request.behavior = .blockUntilReady
        let client = try connections.client(endpoint, trusting: roots)
        var options = CallOptions.defaults
        options.waitForReady = false
        try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: options) { response in
            for try await message in response.messages {
                guard let block = message.block else { continue }
                _ = try await committer.commitDelivered(block)
            }
        }
    }
}
