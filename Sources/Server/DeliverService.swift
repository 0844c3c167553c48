internal import GRPCCore
internal import LedgerCore
internal import Identity
internal import Schema

/// The `medledger.v1.Deliver` service: a channel's blocks to members of the channel — a peer's
/// committed blocks with its validation codes, or an orderer's ordered blocks. Whole blocks carry
/// every transaction's arguments, read-write sets and answers (patients' ledger IDs, records'
/// CIDs), so only the identities that keep or check the ledger receive them (as Fabric separates
/// Deliver from DeliverFiltered); any member may follow filtered blocks (IDs and codes).
struct DeliverService: Medledger_V1_Deliver.SimpleServiceProtocol {
    static let serviceName = "medledger.v1.Deliver"
    /// The roles that receive whole blocks.
    static let wholeBlockReaders: Set<Medledger_V1_Role> = [.peer, .orderer, .admin, .auditor]

    /// The chain of a channel, if the caller's organisation is a member (else throws).
    let chain: @Sendable (_ channelID: String, _ caller: Identity) throws -> any DeliverableChain

    func blocks(
        request: Medledger_V1_DeliverRequest,
        response: RPCWriter<Medledger_V1_DeliverResponse>,
        context: ServerContext
    ) async throws {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            let chain = try self.chain(request.channelID, caller)
            guard request.filtered || Self.wholeBlockReaders.contains(caller.role) else {
                throw GatewayError.permissionDenied(
                    "\(caller) may not receive whole blocks of channel \(request.channelID): they carry every transaction's arguments and results, which only peers, orderers, admins and auditors receive; ask for filtered blocks (filtered = true)")
            }
            let height = chain.height
            let start = try BlockPositions.start(request.start, default: .oldest, height: height)
            let stop = try BlockPositions.stop(request.stop, height: height)
            if let stop, stop < start {
                throw GatewayError.invalidArgument("stop (block \(stop)) is before start (block \(start))")
            }
            try await FollowingStreams.untilRPCCancelled {
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
