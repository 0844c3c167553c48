internal import Foundation
internal import GRPCCore
internal import LedgerCore
internal import Logging
internal import Ordering
internal import Schema
internal import Wire

/// The other orderers of a channel (from the configuration in force on this orderer's chain),
/// reached with Deliver over mTLS, as the source an orderer catches up from when it is behind
/// etcd's window. Each is tried in turn.
struct OrdererDeliverSource: OrderedChainSource {
    let chain: OrdererChain
    /// This orderer's own address, skipped.
    let ownAddress: String
    let connections: NodeConnections
    let logger: Logger

    func blocks(from start: UInt64, _ handle: @escaping @Sendable (Data) throws -> Bool) async throws {
        let context = chain.context
        let roots = context.config.organizations.flatMap(\.rootCerts)
        let endpoints = context.config.organizations.flatMap(\.ordererEndpoints).filter { $0 != ownAddress }
        var failures: [String] = []
        for endpoint in endpoints {
            var request = Medledger_V1_DeliverRequest()
            request.channelID = context.channelID
            request.start = .block(start)
            var newest = Medledger_V1_SeekPosition()
            newest.position = .newest(.init())
            request.stop = newest
            request.behavior = .failIfNotReady
            do {
                let client = try connections.client(endpoint, trusting: roots)
                var options = CallOptions.defaults
                options.waitForReady = false
                // Blocks a failed attempt already delivered come again from the next orderer; the
                // chain takes an identical block it holds as a no-op.
                try await Medledger_V1_Deliver.Client(wrapping: client).blocks(request, options: options) { response in
                    for try await message in response.messages {
                        guard let block = message.block else { continue }
                        guard try handle(BlockAssembly.ordered(block).serializedData()) else { return }
                    }
                }
                return
            } catch {
                failures.append("\(endpoint): \(error)")
                logger.warning("cannot catch up from an orderer", metadata: ["channel": "\(context.channelID)", "orderer": "\(endpoint)", "error": "\(error)"])
            }
        }
        throw OrderingError.unavailable("no other orderer of channel \(context.channelID) delivered blocks from \(start): \(failures.joined(separator: "; "))")
    }
}
