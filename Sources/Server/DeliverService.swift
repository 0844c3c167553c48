internal import GRPCCore
internal import LedgerCore
internal import Identity
internal import Schema

/// The `medledger.v1.Deliver` service: a channel's blocks to members of the channel — a peer's
/// committed blocks with its validation codes, or an orderer's ordered blocks.
struct DeliverService: Medledger_V1_Deliver.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Deliver"

    /// The chain of a channel, if the caller's organisation is a member (else throws).
    let chain: @Sendable (_ channelID: String, _ caller: Identity) throws -> any DeliverableChain

    func blocks(
        request: Medledger_V1_DeliverRequest,
        response: RPCWriter<Medledger_V1_DeliverResponse>,
        context: ServerContext
    ) async throws {
        try await StatusMapping.mapped {
            let chain = try self.chain(request.channelID, CallerIdentity.required())
            let height = chain.height
            let start = try BlockPositions.start(request.start, default: .oldest, height: height)
            let stop = try BlockPositions.stop(request.stop, height: height)
            if let stop, stop < start {
                throw GatewayError.invalidArgument("stop (block \(stop)) is before start (block \(start))")
            }
            try await BlockPositions.follow(chain, from: start, through: stop, waitForNew: request.behavior == .blockUntilReady) { block in
                var message = Medledger_V1_DeliverResponse()
                if request.filtered {
                    message.filteredBlock = FilteredBlocks.filter(block)
                } else {
                    message.block = block
                }
                try await response.write(message)
            }
        }
    }
}

extension HostedService {
    /// The Deliver service over `node`.
    public static func deliver(node: LedgerNode) -> HostedService {
        HostedService(name: DeliverService.serviceName, service: DeliverService { id, caller in try node.channel(id, for: caller).chain })
    }
}

/// Blocks reduced to transaction IDs and validation codes.
enum FilteredBlocks {
    static func filter(_ block: Medledger_V1_Block) -> Medledger_V1_FilteredBlock {
        var filtered = Medledger_V1_FilteredBlock()
        filtered.number = block.header?.number ?? 0
        let codes = block.metadata?.validationCodes ?? []
        for (index, bytes) in (block.data?.data ?? []).enumerated() {
            var transaction = Medledger_V1_FilteredTransaction()
            transaction.txID = TransactionIDs.of(envelope: bytes) ?? ""
            transaction.validationCode = index < codes.count ? codes[index] : .notValidated
            filtered.transactions.append(transaction)
        }
        return filtered
    }
}
