internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Ordering
internal import Schema

/// `medledger.v1.Orderer`: peers of member organisations forward endorsed transactions here.
/// A follower answers UNAVAILABLE naming the leader (message and `medledger-leader` metadata), so
/// the peer can go there.
struct OrdererService: Medledger_V1_Orderer.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Orderer"
    /// The trailing metadata key naming the leader's address.
    static let leaderMetadataKey = "medledger-leader"
    /// The trailing metadata key an orderer sets when the etcd cluster does not answer it: no
    /// other orderer can order either, so a peer stops trying at once.
    static let noConsensusMetadataKey = "medledger-no-consensus"

    let channels: OrdererChannels
    /// Where the time from a Broadcast's arrival to its transaction's place in a final block goes.
    var metrics: NodeMetrics?

    func broadcast(request: Medledger_V1_BroadcastRequest, context: ServerContext) async throws -> Medledger_V1_BroadcastResponse {
        try await StatusMapping.mapped {
            let orderer = try channels.orderer(request.channelID, for: try CallerIdentity.required())
            let start = ContinuousClock.now
            var response = Medledger_V1_BroadcastResponse()
            response.blockNumber = try await orderer.submit(request.envelope)
            metrics?.orderedInBlock(channel: request.channelID, after: start.duration(to: .now))
            return response
        }
    }

    /// The status of an orderer's error, with the leader or the lost quorum in the metadata
    /// (`StatusMapping` defers to this).
    static func rpcError(_ error: OrderingError) -> RPCError {
        switch error {
        case .notLeader(_, let leader):
            var metadata = Metadata()
            if let leader { metadata.addString(leader, forKey: leaderMetadataKey) }
            return RPCError(code: .unavailable, message: error.description, metadata: metadata)
        case .noConsensus:
            var metadata = Metadata()
            metadata.addString("true", forKey: noConsensusMetadataKey)
            return RPCError(code: .unavailable, message: error.description, metadata: metadata)
        case .unavailable, .gap: return RPCError(code: .unavailable, message: error.description)
        case .tooLarge: return RPCError(code: .resourceExhausted, message: error.description)
        case .invalidArgument: return RPCError(code: .invalidArgument, message: error.description)
        case .badSignature, .notApproved: return RPCError(code: .permissionDenied, message: error.description)
        case .stale: return RPCError(code: .failedPrecondition, message: error.description)
        case .invalidBlock, .fork: return StatusMapping.logged(error, "the orderer's chain failed a check")
        }
    }
}

/// `medledger.v1.Admin` on an orderer: join a channel from its genesis block, list channels.
struct OrdererAdminService: Medledger_V1_Admin.SimpleServiceProtocol {
    let channels: OrdererChannels

    func createChannel(request: Medledger_V1_CreateChannelRequest, context: ServerContext) async throws -> Medledger_V1_CreateChannelResponse {
        throw RPCError(code: .unimplemented, message: "an orderer node does not create channels: create the genesis block, then JoinChannel")
    }

    func listChannels(request: Medledger_V1_ListChannelsRequest, context: ServerContext) async throws -> Medledger_V1_ListChannelsResponse {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            var response = Medledger_V1_ListChannelsResponse()
            for id in channels.channelIDs {
                guard let chain = try? channels.chain(id, for: caller) else { continue }
                response.channels.append(try ChannelInfoFactory.info(of: chain))
            }
            return response
        }
    }

    func getChannelConfig(request: Medledger_V1_GetChannelConfigRequest, context: ServerContext) async throws -> Medledger_V1_GetChannelConfigResponse {
        try await StatusMapping.mapped {
            let chain = try channels.chain(request.channelID, for: try CallerIdentity.required())
            var response = Medledger_V1_GetChannelConfigResponse()
            response.config = chain.context.config
            response.configBlockNumber = chain.context.configBlockNumber
            return response
        }
    }

    func updateChannelConfig(
        request: Medledger_V1_UpdateChannelConfigRequest, context: ServerContext
    ) async throws -> Medledger_V1_UpdateChannelConfigResponse {
        throw RPCError(
            code: .unimplemented,
            message: "an orderer takes configuration updates from peers: send Admin.UpdateChannelConfig to a peer of your organisation")
    }

    func joinChannel(request: Medledger_V1_JoinChannelRequest, context: ServerContext) async throws -> Medledger_V1_JoinChannelResponse {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            guard caller.mspID == channels.mspID else {
                throw RPCError(code: .permissionDenied, message: "only an administrator of \(channels.mspID) may join this orderer to channels; \(caller) is not")
            }
            guard let genesis = request.genesisBlock else { throw GatewayError.invalidArgument("genesis_block is required") }
            var response = Medledger_V1_JoinChannelResponse()
            response.channel = try ChannelInfoFactory.info(of: try channels.join(genesis))
            return response
        }
    }
}

extension OrdererChain: DeliverableChain {}
