import CertificateAuthority
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import Wire

@Suite("Channel configuration updates")
struct ConfigUpdateTests {
    static let fixture = try! ChannelFixture()
    static let adminA = try! fixture.hospitalA.enrollSigner(enrollmentID: "admin.a", role: .admin).signer
    static let adminB = try! fixture.hospitalB.enrollSigner(enrollmentID: "admin.b", role: .admin).signer
    var f: ChannelFixture { Self.fixture }
    var adminA: RequestSigner { Self.adminA }
    var adminB: RequestSigner { Self.adminB }

    /// The fixture's channel of HospitalA and HospitalB, where a change needs both their admins.
    func genesisConfig() -> Medledger_V1_ChannelConfig {
        var config = f.config
        config.adminPolicy = .majorityOfAdmins(["HospitalAMSP", "HospitalBMSP"])
        return config
    }

    /// The next configuration: PharmaCo joins and blocks hold at most 7 transactions.
    func addingPharmaCo(to config: Medledger_V1_ChannelConfig) throws -> Medledger_V1_ChannelConfig {
        var next = config
        next.sequence += 1
        next.organizations.append(try f.outsider.channelOrganization())
        var batch = Medledger_V1_BatchParameters()
        batch.maxMessageCount = 7
        next.batch = batch
        return next
    }

    func update(_ config: Medledger_V1_ChannelConfig, creator: RequestSigner, approvers: [RequestSigner]) throws -> Medledger_V1_Envelope {
        try ConfigUpdate.envelope(config: config, approvals: approvers.map { try ConfigUpdate.approve(config, by: $0) }, creator: creator)
    }

    func check(_ envelope: Medledger_V1_Envelope, against current: ChannelContext) throws(ConfigUpdate.Refusal) -> ChannelContext {
        let transaction = try! Medledger_V1_Transaction(serializedData: envelope.payload)
        guard case .configTransaction(let change)? = transaction.body else { fatalError("not a config transaction") }
        return try ConfigUpdate.check(change, envelope: envelope, current: current, blockNumber: 5)
    }

    func refusal(_ envelope: Medledger_V1_Envelope, against current: ChannelContext) -> ConfigUpdate.Refusal? {
        do {
            _ = try check(envelope, against: current)
            return nil
        } catch {
            return error
        }
    }

    @Test func anUpdateApprovedByAMajorityOfAdminsInstallsTheNextConfiguration() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        let next = try addingPharmaCo(to: genesisConfig())
        let installed = try check(try update(next, creator: adminA, approvers: [adminB]), against: current)
        #expect(installed.config.sequence == 1)
        #expect(installed.configBlockNumber == 5)
        #expect(installed.isMember("PharmaCoMSP"))
        #expect(installed.limits.maxMessageCount == 7)
        #expect(!current.isMember("PharmaCoMSP"))
    }

    @Test func tooFewApprovalsAreRefusedNamingThePolicyAndWhoApproved() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        let next = try addingPharmaCo(to: genesisConfig())
        let refused = try #require(refusal(try update(next, creator: adminA, approvers: []), against: current))
        guard case .notApproved(let reason) = refused else { Issue.record("expected notApproved, got \(refused)"); return }
        #expect(reason.contains("admin policy OutOf(2, HospitalAMSP.admin, HospitalBMSP.admin) is not satisfied"), "\(reason)")
        #expect(reason.contains("approved by [admin.a@HospitalAMSP"), "\(reason)")
        #expect(refused.validationCode == .invalidConfigTransaction)
    }

    @Test func anApprovalOfAnotherConfigurationDoesNotCount() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        let next = try addingPharmaCo(to: genesisConfig())
        var other = next
        other.batch?.maxMessageCount = 8
        let envelope = try ConfigUpdate.envelope(config: next, approvals: [try ConfigUpdate.approve(other, by: adminB)], creator: adminA)
        let refused = try #require(refusal(envelope, against: current))
        #expect(refused.description.contains("signatures[0] by admin.b@HospitalBMSP"), "\(refused)")
        #expect(refused.description.contains("does not verify over this configuration"), "\(refused)")
    }

    @Test func theSameAdminTwiceCountsOnce() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        let next = try addingPharmaCo(to: genesisConfig())
        let refused = refusal(try update(next, creator: adminA, approvers: [adminA, adminA]), against: current)
        #expect(refused.map { if case .notApproved = $0 { true } else { false } } == true, "\(String(describing: refused))")
    }

    @Test func anUpdateThatIsNotTheNextSequenceIsStale() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        for sequence: UInt64 in [0, 2] {
            var next = try addingPharmaCo(to: genesisConfig())
            next.sequence = sequence
            let refused = try #require(refusal(try update(next, creator: adminA, approvers: [adminB]), against: current))
            guard case .stale(let reason) = refused else { Issue.record("expected stale, got \(refused)"); continue }
            #expect(reason.contains("config.sequence is \(sequence)") && reason.contains("the next change must be 1"), "\(reason)")
        }
    }

    @Test func onlyAnAdministratorMayCreateAnUpdate() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        let next = try addingPharmaCo(to: genesisConfig())
        let refused = try #require(refusal(try update(next, creator: f.clinicianA, approvers: [adminA, adminB]), against: current))
        #expect(refused.description.contains("may not change channel ehr's configuration: only administrators may"), "\(refused)")
    }

    @Test func aConfigurationForAnotherChannelOrAnInvalidOneIsRefused() throws {
        let current = try ChannelContext(config: genesisConfig(), configBlockNumber: 0)
        var elsewhere = try addingPharmaCo(to: genesisConfig())
        elsewhere.channelID = "other"
        let wrongChannel = try #require(refusal(try update(elsewhere, creator: adminA, approvers: [adminB]), against: current))
        #expect(wrongChannel.description.contains("config.channel_id is 'other'"), "\(wrongChannel)")

        var invalid = try addingPharmaCo(to: genesisConfig())
        invalid.adminPolicy = .anyOf([.signedBy("NowhereMSP", role: .admin)])
        let refused = try #require(refusal(try update(invalid, creator: adminA, approvers: [adminB]), against: current))
        guard case .invalid(let reason) = refused else { Issue.record("expected invalid, got \(refused)"); return }
        #expect(reason.contains("admin_policy names organisation NowhereMSP"), "\(reason)")
    }

    @Test func anUpdateAppliesFromTheBlockAfterItAndChainVerificationFollowsIt() throws {
        var chain = try CommittedChain(genesis: try BlockAssembly.genesis(config: genesisConfig(), orderer: f.orderer, now: Date()))
        let next = try addingPharmaCo(to: genesisConfig())
        let byPharmaCo = { () throws -> Data in
            try f.envelope(
                f.proposal(by: f.stranger), signer: f.stranger, rwset: rwset(writes: [("from-pharma", "x")]), endorsers: [f.peerA])
        }
        // Before the update PharmaCo is no member; a change sharing a block with another
        // transaction is refused and changes nothing.
        #expect(try chain.append([try byPharmaCo()]) == [.badCreator])
        #expect(try chain.append([try update(next, creator: adminA, approvers: [adminB]).serializedData(), try byPharmaCo()])
            == [.invalidConfigTransaction, .badCreator])
        #expect(chain.context.config.sequence == 0)
        // In a block of its own it applies from the next block on.
        #expect(try chain.append([try update(next, creator: adminA, approvers: [adminB]).serializedData()]) == [.valid])
        #expect(chain.context.configBlockNumber == 3)
        #expect(try chain.append([try byPharmaCo()]) == [.valid])
        #expect(chain.blocks.map { $0.metadata?.lastConfigBlockNumber } == [0, 0, 0, 3, 3])

        var verifier = ChainVerifier(knownChaincodes: ["asset"])
        for block in chain.blocks { try verifier.verify(block.serializedData()) }
        #expect(verifier.height == 5)
        #expect(verifier.validCount == 3)

        // A block after the change that still names the old configuration block is refused.
        var stale = chain.blocks
        let previous = stale[3]
        stale[4] = try BlockAssembly.assemble(
            after: previous.header, previousCommitHash: previous.metadata!.commitHash, envelopes: chain.blocks[4].data!.data,
            codes: [.valid], lastConfigBlock: 0, orderer: f.orderer
        ).block
        var strict = ChainVerifier(knownChaincodes: ["asset"])
        let failure = #expect(throws: ChainVerificationFailure.self) {
            for block in stale { try strict.verify(block.serializedData()) }
        }
        #expect(failure?.block == 4)
        #expect(failure?.reason.contains("last_config_block_number is 0, expected 3") == true, "\(String(describing: failure))")
    }
}

/// Blocks committed the way a node commits them: each validated under the configuration in force
/// before it, a configuration block putting its configuration in force for the next.
struct CommittedChain {
    private(set) var blocks: [Medledger_V1_Block]
    private(set) var context: ChannelContext
    private let state = InMemoryState()

    init(genesis: Medledger_V1_Block) throws {
        blocks = [genesis]
        context = try ChannelContext(config: BlockAssembly.genesisConfig(in: genesis)!, configBlockNumber: 0)
        try state.apply(StateUpdate.derive(from: genesis))
    }

    /// Commits `envelopes` as the next block; returns their validation codes.
    mutating func append(_ envelopes: [Data]) throws -> [Medledger_V1_TxValidationCode] {
        let previous = blocks.last!
        let number = previous.header!.number + 1
        let validator = TransactionValidator(channel: context, knownChaincodes: ["asset"])
        let codes = try BlockValidator().finish(envelopes.map { validator.check($0, blockNumber: number) }, state: state)
        let installing = ConfigUpdate.installed(by: envelopes, blockNumber: number, current: context)
        let (block, update) = try BlockAssembly.assemble(
            after: previous.header, previousCommitHash: previous.metadata!.commitHash, envelopes: envelopes, codes: codes,
            lastConfigBlock: (installing ?? context).configBlockNumber, orderer: ConfigUpdateTests.fixture.orderer)
        try state.apply(update)
        blocks.append(block)
        if let installing { context = installing }
        return codes
    }
}
