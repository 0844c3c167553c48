public import Foundation
public import Identity
public import LedgerCore
public import Logging
public import Schema
internal import Synchronization
internal import Wire

/// One channel's orderer in the multi-node network. Every orderer of the channel follows the
/// chain in etcd (verifying each block and appending it to its own `OrdererChain`); one at a
/// time leads, elected through etcd with a lease. The leader cuts blocks from submissions, signs
/// them, and appends block N with one etcd transaction that succeeds only while its election key
/// is still the one it was elected with and block N does not exist yet — so no failure, pause or
/// partition can make two orderers write two different block N.
public final class EtcdChannelOrderer: Sendable {
    /// Where a channel's blocks and election live in etcd.
    public struct Keys: Sendable {
        public let channelID: String

        public init(channelID: String) {
            self.channelID = channelID
        }

        public var root: String { "/medledger/channels/\(channelID)/" }
        public var blocks: String { root + "blocks/" }
        public var election: String { root + "leader" }
        public func block(_ number: UInt64) -> String {
            let digits = String(number)
            return blocks + String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        }
        public func number(ofKey key: Data) -> UInt64? {
            let text = String(decoding: key, as: UTF8.self)
            guard text.hasPrefix(blocks) else { return nil }
            return UInt64(text.dropFirst(blocks.count))
        }
    }

    /// How the leader behaves: lease time to live, and how many recent blocks etcd keeps.
    public struct Settings: Sendable {
        /// The election lease's time to live: a leader that stops refreshing it is replaced after
        /// this. Shorter fails over faster; too short, and a busy machine loses leaders it need not.
        public var leaseTTL: Int64 = 3
        /// Blocks kept in etcd behind the newest; older ones are deleted (orderer block stores keep them).
        public var window: UInt64 = 1_000
        /// Compact etcd's history every this many blocks.
        public var compactEvery: UInt64 = 500

        public init(window: UInt64 = 1_000) {
            self.window = window
            self.compactEvery = max(1, window / 2)
        }
    }

    public let chain: OrdererChain
    public let keys: Keys
    private let etcd: EtcdConnection
    private let signer: RequestSigner
    private let address: String
    private let settings: Settings
    /// Where to catch up from when this orderer is behind etcd's window (nil: it cannot).
    private let catchUp: (any OrderedChainSource)?
    private let logger: Logger
    /// The batches of the current term, while this orderer leads.
    private let leading = Mutex<BatchQueue<Submission>?>(nil)
    /// Submitters waiting for their block, by submission number.
    private let waiting = Mutex<(next: UInt64, continuations: [UInt64: CheckedContinuation<UInt64, any Error>])>((0, [:]))

    /// One queued transaction; its submitter waits in `waiting` under `id`.
    struct Submission: Sendable {
        let id: UInt64
        let envelope: Data
        /// A configuration change: a block of its own, checked again against the chain when written.
        let isConfigUpdate: Bool
    }

    /// An orderer of `chain`'s channel signing with `signer` (an orderer identity of a member
    /// organisation), reachable by peers at `address`.
    public init(
        chain: OrdererChain, etcd: EtcdConnection, signer: RequestSigner, address: String, settings: Settings = Settings(),
        catchUp: (any OrderedChainSource)? = nil, logger: Logger
    ) {
        self.chain = chain
        self.keys = Keys(channelID: chain.channelID)
        self.etcd = etcd
        self.signer = signer
        self.address = address
        self.settings = settings
        self.catchUp = catchUp
        self.logger = logger
    }

    /// True while this orderer leads the channel.
    public var isLeader: Bool { leading.withLock { $0 != nil } }

    /// Follows the chain and campaigns for leadership until cancelled.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.follow() }
            group.addTask { await self.campaignForever() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Orders `envelopeBytes` (after the orderer's admission checks); returns the number of the
    /// block that holds it once that block is final in etcd. A follower refuses with `notLeader`
    /// naming the leader's address.
    public func submit(_ envelopeBytes: Data) async throws(OrderingError) -> UInt64 {
        let admitted: EnvelopeAdmission.Admitted
        do { admitted = try EnvelopeAdmission.check(envelopeBytes, context: chain.context) } catch { throw OrderingError(error) }
        guard let queue = leading.withLock({ $0 }) else {
            let leader: Data?
            do { leader = try await etcd.leader(of: keys.election) } catch {
                throw .noConsensus(
                    "the etcd cluster does not answer (has it lost its quorum?), so no orderer can order channel \(chain.channelID) now: \(error)")
            }
            throw .notLeader(channel: chain.channelID, leader: leader.map { String(decoding: $0, as: UTF8.self) })
        }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let id = waiting.withLock { waiting in
                    waiting.next += 1
                    waiting.continuations[waiting.next] = continuation
                    return waiting.next
                }
                Task {
                    do throws(BatchQueue<Submission>.Refusal) {
                        try await queue.add(
                            Submission(id: id, envelope: envelopeBytes, isConfigUpdate: admitted.isConfigUpdate), bytes: envelopeBytes,
                            alone: admitted.isConfigUpdate)
                    } catch {
                        switch error {
                        case .tooLarge(let reason): resolve([id], with: .failure(OrderingError.tooLarge(reason)))
                        case .closed: resolve([id], with: .failure(OrderingError.unavailable("the leader of channel \(keys.channelID) stepped down; submit again")))
                        }
                    }
                }
            }
        } catch let error as OrderingError {
            throw error
        } catch {
            throw .unavailable("ordering failed: \(error)")
        }
    }

    /// Answers the submitters `ids` (those still waiting) with `result`.
    private func resolve(_ ids: [UInt64], with result: Result<UInt64, any Error>) {
        let continuations = waiting.withLock { waiting in ids.compactMap { waiting.continuations.removeValue(forKey: $0) } }
        for continuation in continuations { continuation.resume(with: result) }
    }

    // MARK: - Following

    /// Appends every block etcd holds beyond this orderer's height, then every block written
    /// later, as the watch reports it. Restarts from a range read when etcd compacted the watch's
    /// revisions away.
    private func follow() async throws {
        while !Task.isCancelled {
            do {
                let (values, revision) = try await etcd.range(from: keys.block(chain.height), to: etcdPrefixEnd(keys.blocks))
                for value in values { try accept(value) }
                try await etcd.watch(prefix: keys.blocks, from: revision + 1) { event in
                    guard event.type == .put, let value = event.kv else { return }
                    try self.accept(value)
                }
            } catch is EtcdWatchCompacted {
                continue
            } catch is CancellationError {
                return
            } catch OrderingError.gap(let reason) {
                try await catchUpFromAnotherOrderer(because: reason)
            } catch {
                logger.warning("cannot follow the chain in etcd; retrying", metadata: ["channel": "\(keys.channelID)", "error": "\(error)"])
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private func accept(_ value: Mvccpb_KeyValue) throws {
        guard let number = keys.number(ofKey: value.key) else { return }
        if number + settings.window < chain.height { return }
        if try chain.accept(number: number, bytes: value.value) {
            logger.debug("appended block from etcd", metadata: ["channel": "\(keys.channelID)", "block": "\(number)"])
        }
    }

    /// The blocks this orderer missed are gone from etcd's window: it takes them from another
    /// orderer's Deliver, checking each as it checks blocks from etcd, then goes back to etcd.
    private func catchUpFromAnotherOrderer(because reason: String) async throws {
        guard let catchUp else {
            logger.error("orderer is behind etcd's block window and has no other orderer to catch up from", metadata: ["channel": "\(keys.channelID)", "reason": "\(reason)"])
            try await Task.sleep(for: .seconds(1))
            return
        }
        let from = chain.height
        logger.notice("behind etcd's block window; catching up from another orderer", metadata: ["channel": "\(keys.channelID)", "from": "\(from)"])
        let chain = chain
        do {
            try await catchUp.blocks(from: from) { bytes in
                let block = try Medledger_V1_Block(serializedData: bytes)
                try chain.accept(number: block.header?.number ?? 0, bytes: bytes)
                return true
            }
            logger.notice("caught up from another orderer", metadata: ["channel": "\(keys.channelID)", "from": "\(from)", "height": "\(chain.height)"])
        } catch {
            logger.warning("cannot catch up from another orderer; retrying", metadata: ["channel": "\(keys.channelID)", "error": "\(error)"])
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    // MARK: - Leading

    private func campaignForever() async {
        while !Task.isCancelled {
            do {
                try await leadOnce()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("leadership ended", metadata: ["channel": "\(keys.channelID)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// One term: a lease, a campaign, then ordering until the lease or a fenced write fails.
    private func leadOnce() async throws {
        let lease = try await etcd.grantLease(ttl: settings.leaseTTL)
        defer { Task { [etcd] in await etcd.revokeLease(lease) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.etcd.keepAlive(lease: lease, ttl: .seconds(self.settings.leaseTTL)) }
            group.addTask {
                let leader = try await self.etcd.campaign(self.keys.election, lease: lease, value: Data(self.address.utf8))
                try await self.order(as: leader)
            }
            // Whichever ends first (a lost lease, a refused write) ends the term.
            do {
                try await group.next()
            } catch {
                group.cancelAll()
                self.stepDown(.unavailable("the leader of channel \(self.keys.channelID) lost its lease; submit again"))
                throw error
            }
            group.cancelAll()
            self.stepDown(.unavailable("the leader of channel \(self.keys.channelID) stepped down; submit again"))
        }
    }

    /// Ends the term: every submitter still waiting, queued or in a batch not yet written, learns
    /// `reason` (and may submit again; a transaction written twice is invalid the second time).
    private func stepDown(_ reason: OrderingError) {
        let queue = leading.withLock { queue in
            defer { queue = nil }
            return queue
        }
        let continuations = waiting.withLock { waiting in
            defer { waiting.continuations = [:] }
            return Array(waiting.continuations.values)
        }
        for continuation in continuations { continuation.resume(throwing: reason) }
        if let queue { Task { _ = await queue.close() } }
    }

    /// Catches up with etcd, publishes the genesis block if no leader has, then orders batches.
    private func order(as leader: V3electionpb_LeaderKey) async throws {
        let (newest, _) = try await etcd.range(from: keys.blocks, to: etcdPrefixEnd(keys.blocks), limit: 1, newestFirst: true)
        if let last = newest.first, let number = keys.number(ofKey: last.key) {
            await chain.waitForHeight(above: number)
        } else if let genesis = try chain.blockBytes(0) {
            guard try await etcd.createIfLeader(keys.block(0), value: genesis, leader: leader) else {
                throw OrderingError.unavailable("could not publish the genesis block: leadership lost")
            }
        }
        logger.notice("leading channel", metadata: ["channel": "\(keys.channelID)", "height": "\(chain.height)", "orderer": "\(address)"])
        let queue = BatchQueue<Submission>(limits: chain.context.limits)
        leading.withLock { $0 = queue }
        for await batch in queue.batches {
            try await write(batch, as: leader, queue: queue)
        }
    }

    /// Writes one batch as the next block; every submitter in it learns the outcome. A
    /// configuration change is checked again against the configuration it would replace (another
    /// change may have come first since it was admitted); refused, it is not written.
    private func write(_ batch: [Submission], as leader: V3electionpb_LeaderKey, queue: BatchQueue<Submission>) async throws {
        let tip = chain.tip
        let number = tip.number + 1
        let context = chain.context
        if batch.count == 1, batch[0].isConfigUpdate {
            do { _ = try EnvelopeAdmission.check(batch[0].envelope, context: context) } catch {
                resolve([batch[0].id], with: .failure(OrderingError(error)))
                return
            }
        }
        let envelopes = batch.map(\.envelope)
        let installing = ConfigUpdate.installed(by: envelopes, blockNumber: number, current: context)
        do {
            let block = try BlockAssembly.order(
                after: tip, envelopes: envelopes, lastConfigBlock: (installing ?? context).configBlockNumber, orderer: signer)
            let bytes = block.serializedData()
            guard try await etcd.createIfLeader(keys.block(number), value: bytes, leader: leader) else {
                throw OrderingError.unavailable("block \(number) of channel \(keys.channelID) was not written: this orderer no longer leads")
            }
            try chain.accept(number: number, bytes: bytes)
            if installing != nil {
                logger.notice("ordered a configuration change", metadata: ["channel": "\(keys.channelID)", "block": "\(number)"])
                await queue.adopt(chain.context.limits)
            }
            resolve(batch.map(\.id), with: .success(number))
        } catch {
            let reason = (error as? OrderingError) ?? .unavailable("block \(number) of channel \(keys.channelID) was not written: \(error)")
            resolve(batch.map(\.id), with: .failure(reason))
            throw reason
        }
        try await trimWindow(after: number)
    }

    /// Keeps etcd to a window of recent blocks: deletes the block that fell out of it, and now and
    /// then compacts the history and defragments the members.
    private func trimWindow(after number: UInt64) async throws {
        guard number >= settings.window else { return }
        let old = number - settings.window
        try await etcd.delete(from: keys.block(old), to: keys.block(old + 1))
        if number % settings.compactEvery == 0, let revision = try await etcd.get(keys.block(number))?.modRevision {
            try await etcd.compact(revision: revision)
            // Compaction frees pages inside etcd's database; defragmenting gives them back, so the
            // file (and the 2 GiB quota it counts against) stays the size of the window.
            let failures = await etcd.defragmentEach()
            logger.info(
                "compacted and defragmented etcd",
                metadata: ["channel": "\(keys.channelID)", "revision": "\(revision)", "failed": "\(failures.keys.sorted())"])
        }
    }
}
