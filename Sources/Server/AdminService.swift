internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Ordering
internal import Schema
internal import Wire

/// The `medledger.v1.Admin` service: channel lifecycle. Only administrators reach it (see
/// `AuthorizationTable.standard`); creating a channel further needs an administrator of this node's
/// own organisation, whose orderer signs the genesis block.
struct AdminService: Medledger_V1_Admin.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Admin"

    let node: LedgerNode

    func createChannel(request: Medledger_V1_CreateChannelRequest, context: ServerContext) async throws -> Medledger_V1_CreateChannelResponse {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            guard caller.mspID == node.mspID else {
                throw RPCError(code: .permissionDenied, message: "only an administrator of \(node.mspID) may create channels on this node; \(caller) is not")
            }
            guard let config = request.config else { throw GatewayError.invalidArgument("config is required") }
            var response = Medledger_V1_CreateChannelResponse()
            response.genesisBlock = try node.createChannel(config)
            return response
        }
    }

    func listChannels(request: Medledger_V1_ListChannelsRequest, context: ServerContext) async throws -> Medledger_V1_ListChannelsResponse {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            var response = Medledger_V1_ListChannelsResponse()
            for id in node.channelIDs {
                guard let channel = try? node.channel(id, for: caller) else { continue }
                response.channels.append(try channel.info())
            }
            return response
        }
    }

    func getChannelConfig(request: Medledger_V1_GetChannelConfigRequest, context: ServerContext) async throws -> Medledger_V1_GetChannelConfigResponse {
        try await StatusMapping.mapped {
            let channel = try node.channel(request.channelID, for: try CallerIdentity.required())
            var response = Medledger_V1_GetChannelConfigResponse()
            response.config = channel.context.config
            response.configBlockNumber = channel.context.configBlockNumber
            return response
        }
    }

    func joinChannel(request: Medledger_V1_JoinChannelRequest, context: ServerContext) async throws -> Medledger_V1_JoinChannelResponse {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            guard caller.mspID == node.mspID else {
                throw RPCError(code: .permissionDenied, message: "only an administrator of \(node.mspID) may join this node to channels; \(caller) is not")
            }
            guard node.network != nil else {
                throw RPCError(
                    code: .failedPrecondition,
                    message: "this node orders its own channels (dev, or serve --role both) and creates them with CreateChannel; JoinChannel is for peers of a multi-node network (serve --role peer)")
            }
            guard let genesis = request.genesisBlock else { throw GatewayError.invalidArgument("genesis_block is required") }
            var response = Medledger_V1_JoinChannelResponse()
            response.channel = try node.joinChannel(genesis)
            return response
        }
    }

    func updateChannelConfig(
        request: Medledger_V1_UpdateChannelConfigRequest, context: ServerContext
    ) async throws -> Medledger_V1_UpdateChannelConfigResponse {
        try await StatusMapping.mapped {
            let channel = try node.channel(try Self.channelID(ofUpdate: request.envelope), for: try CallerIdentity.required())
            let ticket = try await channel.submitWatchingCommit(request.envelope)
            guard let location = try await channel.peer.waitForCommit(ticket) else {
                throw GatewayError.unavailable("the node stopped before the configuration update committed; read the configuration to learn whether it did")
            }
            guard location.code == .valid else {
                throw GatewayError.failedPrecondition(
                    "the configuration update committed in block \(location.blockNumber) as \(location.code) (another change of the same sequence came first?)")
            }
            var response = Medledger_V1_UpdateChannelConfigResponse()
            response.config = channel.context.config
            response.configBlockNumber = location.blockNumber
            return response
        }
    }

    /// The channel a configuration update envelope is for.
    private static func channelID(ofUpdate envelopeBytes: Data) throws(GatewayError) -> String {
        guard let envelope = try? Medledger_V1_Envelope(serializedData: envelopeBytes),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload),
            case .configTransaction(let change)? = transaction.body, let config = change.config
        else {
            throw .invalidArgument("envelope must be an Envelope holding a ConfigTransaction with the new config")
        }
        return config.channelID
    }
}

extension ChannelLedger {
    /// Height and the newest hashes, for ListChannels.
    func info() throws -> Medledger_V1_ChannelInfo {
        try ChannelInfoFactory.info(of: chain, channelID: channelID)
    }
}

/// A channel's height and newest hashes, as ListChannels reports them, for a peer's or an
/// orderer's chain.
enum ChannelInfoFactory {
    static func info(of chain: some DeliverableChain, channelID: String) throws -> Medledger_V1_ChannelInfo {
        var info = Medledger_V1_ChannelInfo()
        info.channelID = channelID
        let height = chain.height
        info.height = height
        if height > 0, let newest = try chain.block(height - 1)?.header {
            info.currentBlockHash = BlockHashing.hash(of: newest)
            info.previousBlockHash = newest.previousHash
        }
        return info
    }

    static func info(of chain: OrdererChain) throws -> Medledger_V1_ChannelInfo {
        try info(of: chain, channelID: chain.channelID)
    }
}

extension HostedService {
    /// The Admin service over `node`.
    public static func admin(node: LedgerNode) -> HostedService {
        HostedService(name: AdminService.serviceName, service: AdminService(node: node))
    }
}
