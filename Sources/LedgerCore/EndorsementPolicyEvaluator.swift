public import Identity
public import Schema

/// Decides whether a set of signers satisfies an `EndorsementPolicy` (`SignedBy` leaves combined by
/// `NOutOf`, which expresses AnyOf, AllOf and OutOf). Each signer counts for at most one leaf, as in
/// Fabric, and the search over assignments is exhaustive, so the answer does not depend on the
/// order endorsements arrive in.
public struct EndorsementPolicyEvaluator: Sendable {
    public init() {}

    /// True if `signers` (distinct identities) satisfy `policy`.
    public func isSatisfied(_ policy: Medledger_V1_EndorsementPolicy, by signers: [Identity]) -> Bool {
        Self.isSatisfied(policy, by: signers) { signer, leaf in
            signer.mspID == leaf.mspID && Self.role(signer.role, fulfils: leaf.role)
        }
    }

    /// True if `signers` satisfy `policy`, where `matches` says whether a signer meets a
    /// `SignedBy` leaf; each signer counts for one leaf at most.
    static func isSatisfied<Signer>(
        _ policy: Medledger_V1_EndorsementPolicy, by signers: [Signer],
        matches: (Signer, Medledger_V1_EndorsementPolicy.SignedBy) -> Bool
    ) -> Bool {
        withoutActuallyEscaping(matches) { matches in
            Search(signers: signers, matches: matches).satisfy(policy, Array(repeating: false, count: signers.count)) { _ in true }
        }
    }

    /// True if `identity`'s role fulfils a policy's `role`.
    public static func role(_ held: Medledger_V1_Role, fulfils required: Medledger_V1_Role) -> Bool {
        switch required {
        case .member: held != .unspecified
        case .client: [.client, .patient, .clinician, .researcher, .auditor].contains(held)
        default: held == required
        }
    }

    /// Backtracking in continuation style: tries every way a policy can be met with signers not
    /// in `used`, and for each asks `then` whether the rest of the policy can be met with what is left.
    private struct Search<Signer> {
        let signers: [Signer]
        let matches: (Signer, Medledger_V1_EndorsementPolicy.SignedBy) -> Bool

        func satisfy(_ policy: Medledger_V1_EndorsementPolicy, _ used: [Bool], then: ([Bool]) -> Bool) -> Bool {
            switch policy.rule {
            case .signedBy(let rule)?:
                for index in signers.indices where !used[index] {
                    guard matches(signers[index], rule) else { continue }
                    var taken = used
                    taken[index] = true
                    if then(taken) { return true }
                }
                return false
            case .nOutOf(let rule)?:
                return choose(Int(rule.n), from: rule.rules[...], used, then: then)
            case nil:
                return false
            }
        }

        private func choose(
            _ needed: Int, from rules: ArraySlice<Medledger_V1_EndorsementPolicy>, _ used: [Bool], then: ([Bool]) -> Bool
        ) -> Bool {
            if needed <= 0 { return then(used) }
            guard rules.count >= needed, let first = rules.first else { return false }
            let rest = rules.dropFirst()
            if satisfy(first, used, then: { taken in choose(needed - 1, from: rest, taken, then: then) }) {
                return true
            }
            return choose(needed, from: rest, used, then: then)
        }
    }
}

extension Medledger_V1_EndorsementPolicy {
    /// Satisfied by one signature of `role` in `mspID`.
    public static func signedBy(_ mspID: String, role: Medledger_V1_Role) -> Self {
        var leaf = Medledger_V1_EndorsementPolicy.SignedBy()
        leaf.mspID = mspID
        leaf.role = role
        var policy = Self()
        policy.rule = .signedBy(leaf)
        return policy
    }

    /// Satisfied when `n` of `rules` are.
    public static func outOf(_ n: Int, _ rules: [Self]) -> Self {
        var threshold = Medledger_V1_EndorsementPolicy.NOutOf()
        threshold.n = UInt32(n)
        threshold.rules = rules
        var policy = Self()
        policy.rule = .nOutOf(threshold)
        return policy
    }

    /// Satisfied by one signature of `role` in the organisation of the transaction's creator.
    public static func signedByCreatorOrganization(role: Medledger_V1_Role) -> Self {
        var policy = signedBy("", role: role)
        if case .signedBy(var leaf)? = policy.rule {
            leaf.creatorOrganization = true
            policy.rule = .signedBy(leaf)
        }
        return policy
    }

    /// The policy for a transaction whose creator belongs to `mspID`: its creator-organisation
    /// leaves name that organisation.
    public func resolved(creator mspID: String) -> Self {
        switch rule {
        case .signedBy(let leaf)? where leaf.creatorOrganization:
            return .signedBy(mspID, role: leaf.role)
        case .nOutOf(var threshold)?:
            threshold.rules = threshold.rules.map { $0.resolved(creator: mspID) }
            var policy = self
            policy.rule = .nOutOf(threshold)
            return policy
        default:
            return self
        }
    }

    public static func anyOf(_ rules: [Self]) -> Self { outOf(1, rules) }
    public static func allOf(_ rules: [Self]) -> Self { outOf(rules.count, rules) }

    /// A readable form for error messages: `OutOf(1, HospitalAMSP.peer, HospitalBMSP.peer)`.
    public var summary: String {
        switch rule {
        case .signedBy(let leaf)?: "\(leaf.creatorOrganization ? "creator" : leaf.mspID).\(leaf.role.certificateName ?? "member")"
        case .nOutOf(let threshold)?: "OutOf(\(threshold.n), \(threshold.rules.map(\.summary).joined(separator: ", ")))"
        case nil: "<empty policy>"
        }
    }
}
