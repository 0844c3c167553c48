import Identity
import LedgerCore
import Schema
import Testing

@Suite("Endorsement policies")
struct EndorsementPolicyTests {
    static let fixture = try! PolicyFixture()

    struct PolicyFixture {
        let peerA: Identity
        let clientA: Identity
        let peerB: Identity
        let peerC: Identity

        init() throws {
            let a = try makeOrganization("HospitalAMSP")
            let b = try makeOrganization("HospitalBMSP")
            let c = try makeOrganization("PharmaCoMSP")
            peerA = try identity(a, "peer0", .peer)
            clientA = try identity(a, "app", .clinician)
            peerB = try identity(b, "peer0", .peer)
            peerC = try identity(c, "peer0", .peer)
        }
    }

    let evaluator = EndorsementPolicyEvaluator()
    var f: PolicyFixture { Self.fixture }

    @Test func anyOfIsSatisfiedByOneMatchingSigner() {
        let policy = Medledger_V1_EndorsementPolicy.anyOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)])
        #expect(evaluator.isSatisfied(policy, by: [f.peerB]))
        #expect(!evaluator.isSatisfied(policy, by: [f.peerC]))
        #expect(!evaluator.isSatisfied(policy, by: []))
    }

    @Test func allOfNeedsEverySigner() {
        let policy = Medledger_V1_EndorsementPolicy.allOf([.signedBy("HospitalAMSP", role: .peer), .signedBy("HospitalBMSP", role: .peer)])
        #expect(!evaluator.isSatisfied(policy, by: [f.peerA]))
        #expect(evaluator.isSatisfied(policy, by: [f.peerB, f.peerA]))
    }

    @Test func outOfCountsDistinctSignersOnly() {
        let policy = Medledger_V1_EndorsementPolicy.outOf(2, [
            .signedBy("HospitalAMSP", role: .member), .signedBy("HospitalAMSP", role: .peer), .signedBy("PharmaCoMSP", role: .peer),
        ])
        // One peer of A cannot fill both A leaves.
        #expect(!evaluator.isSatisfied(policy, by: [f.peerA]))
        #expect(evaluator.isSatisfied(policy, by: [f.peerA, f.peerC]))
        #expect(evaluator.isSatisfied(policy, by: [f.clientA, f.peerA]))
    }

    @Test func theAnswerDoesNotDependOnSignerOrder() {
        // A greedy match would give the peer to the MEMBER leaf and then fail the PEER leaf.
        let policy = Medledger_V1_EndorsementPolicy.allOf([.signedBy("HospitalAMSP", role: .member), .signedBy("HospitalAMSP", role: .peer)])
        #expect(evaluator.isSatisfied(policy, by: [f.peerA, f.clientA]))
        #expect(evaluator.isSatisfied(policy, by: [f.clientA, f.peerA]))
    }

    @Test func rolesMatchAsDocumented() {
        #expect(EndorsementPolicyEvaluator.role(.clinician, fulfils: .client))
        #expect(EndorsementPolicyEvaluator.role(.patient, fulfils: .member))
        #expect(!EndorsementPolicyEvaluator.role(.peer, fulfils: .client))
        #expect(!EndorsementPolicyEvaluator.role(.client, fulfils: .admin))
        #expect(!evaluator.isSatisfied(.init(), by: [f.peerA]))
        #expect(evaluator.isSatisfied(.outOf(0, []), by: []))
    }

    @Test func summaryNamesThePolicy() {
        let policy = Medledger_V1_EndorsementPolicy.anyOf([.signedBy("HospitalAMSP", role: .peer)])
        #expect(policy.summary == "OutOf(1, HospitalAMSP.peer)")
    }
}

@Suite("Endorsement policies over organisations")
struct EndorsementPolicyOrganizationTests {
    let both = Medledger_V1_EndorsementPolicy.allOf([.signedBy("A", role: .peer), .signedBy("B", role: .peer)])

    @Test func onePeerPerOrganisationCountsOncePerLeaf() {
        #expect(both.isSatisfied(byPeersOf: ["A", "B"]))
        #expect(!both.isSatisfied(byPeersOf: ["A"]))
        #expect(!Medledger_V1_EndorsementPolicy.allOf([.signedBy("A", role: .peer), .signedBy("A", role: .peer)]).isSatisfied(byPeersOf: ["A"]))
        #expect(!Medledger_V1_EndorsementPolicy.signedBy("A", role: .admin).isSatisfied(byPeersOf: ["A"]), "a peer is no admin")
    }

    @Test func theSmallestSetPrefersTheOrganisationsThisNodeHosts() {
        let anyTwo = Medledger_V1_EndorsementPolicy.outOf(2, ["A", "B", "C"].map { .signedBy($0, role: .peer) })
        #expect(anyTwo.smallestEndorsingSet(among: ["A", "B", "C"], preferring: ["C"]) == ["A", "C"])
        #expect(anyTwo.smallestEndorsingSet(among: ["A", "B", "C"], preferring: ["B", "C"]) == ["B", "C"])
        #expect(both.smallestEndorsingSet(among: ["A", "B", "C"], preferring: ["C"]) == ["A", "B"])
        #expect(Medledger_V1_EndorsementPolicy.signedBy("Z", role: .peer).smallestEndorsingSet(among: ["A", "B"], preferring: []) == nil)
    }
}
