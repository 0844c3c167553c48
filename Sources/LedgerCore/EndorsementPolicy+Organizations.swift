public import Schema

extension Medledger_V1_EndorsementPolicy {
    /// True if one peer of each organisation in `organizations` endorsing satisfies the policy.
    /// Each endorsement counts for one leaf at most, as in `EndorsementPolicyEvaluator`.
    public func isSatisfied(byPeersOf organizations: [String]) -> Bool {
        EndorsementPolicyEvaluator.isSatisfied(self, by: organizations) { organization, leaf in
            organization == leaf.mspID && (leaf.role == .peer || leaf.role == .member)
        }
    }

    /// The smallest set of `members` whose peers satisfy the policy, preferring, among sets of
    /// one size, those with more of `preferred` (the organisations this node endorses for
    /// itself); nil if no set does.
    public func smallestEndorsingSet(among members: [String], preferring preferred: Set<String>) -> [String]? {
        let count = min(members.count, 16)
        var best: [String]?
        var bestScore = (Int.max, Int.max)
        for mask in 1..<(1 << count) {
            let chosen = (0..<count).filter { mask & (1 << $0) != 0 }.map { members[$0] }
            let score = (chosen.count, chosen.filter { !preferred.contains($0) }.count)
            guard score < bestScore, isSatisfied(byPeersOf: chosen) else { continue }
            best = chosen
            bestScore = score
        }
        return best
    }
}
