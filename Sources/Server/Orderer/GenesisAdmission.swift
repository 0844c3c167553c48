internal import Foundation
public import Identity
internal import LedgerCore
public import Schema
internal import X509

/// What a node checks before it joins a channel from a genesis block an administrator hands it:
/// the block holds a channel configuration, names the node's own organisation with the node's own
/// root among that organisation's roots (the node's trust anchor: a forged configuration cannot
/// name its root without its CA's key having signed the orderer who signed it), the admins of the
/// members approved it as its own admin policy requires (so no single organisation's orderer can
/// make up a channel with others in it), and its orderer signature and hashes verify against it.
enum GenesisAdmission {
    static func check(_ genesis: Medledger_V1_Block, mspID: String, ownRoots: [Certificate]) throws(GatewayError) -> Medledger_V1_ChannelConfig {
        guard genesis.header?.number == 0, let config = BlockAssembly.genesisConfig(in: genesis) else {
            throw .invalidArgument("genesis_block is not a genesis block holding a channel configuration")
        }
        guard let own = config.organizations.first(where: { $0.mspID == mspID }) else {
            throw .invalidArgument("channel \(config.channelID)'s configuration does not name this node's organisation \(mspID)")
        }
        let ownDER = Set(ownRoots.compactMap { (try? $0.derBytes).map { Data($0) } })
        guard own.rootCerts.contains(where: ownDER.contains) else {
            throw .badSignature("channel \(config.channelID)'s configuration names \(mspID) with roots other than this node's CA")
        }
        let context: ChannelContext
        do { context = try ChannelContext(config: config, configBlockNumber: 0) } catch {
            throw .invalidArgument("channel \(config.channelID)'s configuration is invalid: \(error)")
        }
        do { try OrderedBlockCheck.check(genesis, follows: nil, context: context) } catch {
            throw .badSignature("the genesis block of channel \(config.channelID) does not verify: \(error)")
        }
        guard let change = BlockAssembly.configTransaction(in: genesis) else {
            throw .invalidArgument("genesis_block holds no configuration transaction")
        }
        do { try ConfigUpdate.checkGenesisApprovals(change, genesis: context) } catch {
            throw .badSignature("the genesis configuration of channel \(config.channelID) lacks its members' approval: \(error)")
        }
        return config
    }
}
