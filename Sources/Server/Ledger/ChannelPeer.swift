internal import Chaincode
internal import Foundation
internal import Identity
internal import LedgerCore
internal import LedgerStore
internal import Schema
internal import Wire

/// A committed endorser transaction as the ledger holds it: where it is, how it was judged, the
/// proposal the client signed and the response the peers endorsed.
struct CommittedTransaction: Sendable {
    var location: TransactionLocation
    var proposal: Medledger_V1_Proposal
    var response: Medledger_V1_Response
}

/// The peer's side of one channel: endorses and evaluates proposals by simulating them on
/// committed state (nothing is written), and answers what has committed — transactions, values,
/// and commit outcomes as they happen.
struct ChannelPeer: Sendable {
    private let current: CurrentChannelContext
    private let store: LedgerStore
    private let chaincodes: ChaincodeDispatcher
    private let endorser: Endorser
    private let peers: [HostedPeer]
    private let board: CommitBoard

    init(
        current: CurrentChannelContext, store: LedgerStore, chaincodes: ChaincodeDispatcher, endorser: Endorser, peers: [HostedPeer],
        board: CommitBoard
    ) {
        self.current = current
        self.store = store
        self.chaincodes = chaincodes
        self.endorser = endorser
        self.peers = peers
        self.board = board
    }

    /// The channel's configuration in force now.
    var context: ChannelContext { current.context }

    var channelID: String { context.channelID }

    /// Verifies the signed proposal, simulates it on current state and signs the result. A
    /// chaincode error response is refused, not endorsed. Nothing is written. The peers of
    /// `organizations` endorse (default: the creator's organisation's, see `HostedPeer`).
    func endorse(_ signed: Medledger_V1_SignedProposal, organizations: [String] = [], now: Date) throws -> Medledger_V1_EndorseResponse {
        try endorsement(signed, organizations: organizations, now: now, othersReachable: false).local
    }

    /// `endorse`, on a node that can ask other organisations' peers too (`othersReachable`): the
    /// endorsement of this node's peers, and the organisations whose peers elsewhere must still
    /// endorse for the chaincode's policy (or the requested organisations this node does not host).
    func endorsement(
        _ signed: Medledger_V1_SignedProposal, organizations: [String], now: Date, othersReachable: Bool
    ) throws -> (local: Medledger_V1_EndorseResponse, remote: [String]) {
        let (proposal, creator) = try endorser.verify(signed, channel: context, now: now)
        let simulation = try simulate(proposal, creator: creator)
        let owners = try dataOwners(of: simulation.readWriteSets, chaincode: proposal.chaincodeName)
        let (local, remote) = try endorsingPeers(
            requested: organizations, creator: creator, chaincode: proposal.chaincodeName, owners: owners, now: now,
            othersReachable: othersReachable)
        let response = try endorser.endorse(
            proposal, by: local, results: simulation.readWriteSets, event: simulation.event, response: simulation.response)
        return (response, remote)
    }

    /// Verifies the signed proposal and runs it as a query; nothing is ordered.
    func evaluate(_ signed: Medledger_V1_SignedProposal, now: Date) throws -> Medledger_V1_Response {
        let (proposal, creator) = try endorser.verify(signed, channel: context, now: now)
        return try simulate(proposal, creator: creator).response
    }

    /// Registers interest in `txID`'s commit before it is ordered, so that `waitForCommit` needs
    /// no transaction-index lookup (see `CommitBoard`).
    func expectCommit(_ txID: String) -> CommitTicket {
        board.expect(txID)
    }

    /// Withdraws a ticket whose transaction never reached the orderer.
    func cancel(_ ticket: CommitTicket) {
        board.cancel(ticket)
    }

    /// Where the ticket's transaction committed; nil if the node shut down first.
    func waitForCommit(_ ticket: CommitTicket) async throws -> TransactionLocation? {
        try await board.wait(ticket)
    }

    /// Where `txID` committed, waiting for it if needed; nil if the node shut down first.
    func commitStatus(_ txID: String) async throws -> TransactionLocation? {
        try await board.location(of: txID) { try store.transaction(txID) }
    }

    /// Waits until `txID` has committed here, for at most `limit`: a decision another node
    /// committed first reaches this one's copy of the ledger shortly after.
    func awaitCommit(_ txID: String, within limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = try? await commitStatus(txID) }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// The committed transaction `txID`, read back from its block; nil if it has not committed
    /// (or is not an endorser transaction).
    func committedTransaction(_ txID: String) throws -> CommittedTransaction? {
        guard let location = try store.transaction(txID),
            let block = try store.blocks.block(location.blockNumber),
            let data = block.data?.data, location.position < data.count
        else { return nil }
        let envelope = try Medledger_V1_Envelope(serializedData: data[Int(location.position)])
        let transaction = try Medledger_V1_Transaction(serializedData: envelope.payload)
        guard case .endorserTransaction(let endorsed)? = transaction.body, let proposal = endorsed.proposal else { return nil }
        let payload = try Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload)
        return CommittedTransaction(location: location, proposal: proposal, response: payload.response ?? .init())
    }

    /// Committed entries of `namespace` whose JSON value matches `query`, in key order, at most `limit`.
    func committedEntries(namespace: String, matching query: RichQuery, limit: Int) throws -> [StateEntry] {
        try store.query(namespace: namespace, query, after: "", limit: limit)
    }

    /// The committed value of `key` in `namespace`, if any.
    func committedValue(namespace: String, key: String) throws -> Data? {
        try store.get(namespace: namespace, key: key)?.value
    }

    /// The events among `events` that `caller` may receive: each contract decides for its own
    /// (an event of a contract not installed here reaches nobody).
    func events(_ events: [Medledger_V1_ChaincodeEvent], visibleTo caller: Identity) -> [Medledger_V1_ChaincodeEvent] {
        events.filter { event in
            chaincodes.contract(named: event.chaincodeName)?.mayReceive(event, caller: caller, state: store) ?? false
        }
    }

    /// The organisations owning what a simulation read or wrote, whose peers must endorse too
    /// (the channel's `DataOwnerRule`s for `chaincode`, on this node's committed state).
    private func dataOwners(of sets: [Medledger_V1_ReadWriteSet], chaincode: String) throws -> Set<String> {
        let rules = context.config.dataOwnerRules.filter { $0.chaincode == chaincode }
        guard !rules.isEmpty else { return [] }
        do {
            return try DataOwnership.owners(under: rules, of: sets, state: store)
        } catch let unnamed as DataOwnership.Unnamed {
            throw GatewayError.chaincodeRefused(status: 500, message: unnamed.description)
        }
    }

    /// The requested organisations' peers; with none requested, the default peer if it satisfies
    /// the chaincode's endorsement policy (creator-organisation rules naming the creator's) and
    /// is of every data owner's organisation, else every hosted peer of a member organisation.
    /// When other organisations' peers are reachable, organisations this node does not host go in
    /// `remote`: the requested ones, or the fewest the policy and the owners still need
    /// (preferring hosted ones).
    private func endorsingPeers(
        requested: [String], creator: Identity, chaincode: String, owners: Set<String>, now: Date, othersReachable: Bool
    ) throws -> (local: [HostedPeer], remote: [String]) {
        let context = context
        let hosted = peers.filter { context.isMember($0.mspID) }
        if othersReachable, !requested.isEmpty {
            if let outsider = requested.first(where: { !context.isMember($0) }) {
                throw GatewayError.invalidArgument("endorsing_organizations names \(QuotedInput.quote(outsider)), which is not a member of channel \(context.channelID)")
            }
            return (hosted.filter { requested.contains($0.mspID) }, requested.filter { org in !hosted.contains { $0.mspID == org } })
        }
        let chosen = try peers.endorsers(requested: requested, creatorMSP: creator.mspID, isMember: context.isMember)
        guard requested.isEmpty else { return (chosen, []) }
        let policy = context.endorsementPolicy(for: chaincode).resolved(creator: creator.mspID)
        let identities = { (set: [HostedPeer]) in set.compactMap { try? context.identity(der: $0.signer.certificateDER, at: now) } }
        let suffices = { (set: [HostedPeer]) in
            EndorsementPolicyEvaluator().isSatisfied(policy, by: identities(set)) && owners.isSubset(of: set.map(\.mspID))
        }
        if suffices(chosen) { return (chosen, []) }
        guard othersReachable, !suffices(hosted) else { return (hosted, []) }
        if let outsider = owners.first(where: { !context.isMember($0) }) {
            throw GatewayError.unavailable("the data this transaction touches is owned by \(outsider), which is not a member of channel \(context.channelID)")
        }
        let members = context.config.organizations.map(\.mspID)
        guard let forPolicy = policy.smallestEndorsingSet(among: members, preferring: Set(hosted.map(\.mspID)).union(owners)) else {
            throw GatewayError.unavailable(
                "no set of member organisations' peers satisfies the endorsement policy \(policy.summary) of chaincode \(QuotedInput.quote(chaincode))")
        }
        let needed = Set(forPolicy).union(owners)
        return (hosted.filter { needed.contains($0.mspID) }, needed.filter { org in !hosted.contains { $0.mspID == org } }.sorted())
    }

    private func simulate(_ proposal: Medledger_V1_Proposal, creator: Identity) throws -> SimulationResult {
        let result: SimulationResult
        do {
            // Each read is its own consistent read rather than one snapshot for the whole simulation:
            // most functions read little or nothing, and validation's MVCC and phantom checks reject
            // a transaction whose reads came from different commits anyway.
            result = try chaincodes.simulate(proposal: proposal, creator: creator, state: store)
        } catch {
            throw StatusMapping.rpcError(for: error)
        }
        guard result.response.status < 400 else {
            throw GatewayError.chaincodeRefused(status: result.response.status, message: result.response.message)
        }
        return result
    }
}
