public import Schema

extension Medledger_V1_EndorsementPolicy {
    /// True if one peer of each organisation in `organizations` endorsing satisfies the policy.
    /// Each endorsement counts for one leaf at most, as in `EndorsementPolicyEvaluator`.
    public func isSatisfied(byPeersOf organizations: [String]) -> Bool {
        Self.satisfy(self, Array(organizations), Array(repeating: false, count: organizations.count)) { _ in true }
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

    private static func satisfy(
        _ policy: Self, _ organizations: [String], _ used: [Bool], then: ([Bool]) -> Bool
    ) -> Bool {
        switch policy.rule {
        case .signedBy(let rule)?:
            guard rule.role == .peer || rule.role == .member else { return false }
            for index in organizations.indices where !used[index] && organizations[index] == rule.mspID {
                var taken = used
                taken[index] = true
                if then(taken) { return true }
            }
            return false
        case .nOutOf(let rule)?:
            return choose(Int(rule.n), from: rule.rules[...], organizations, used, then: then)
        case nil:
            return false
        }
    }

    private static func choose(
        _ needed: Int, from rules: ArraySlice<Self>, _ organizations: [String], _ used: [Bool], then: ([Bool]) -> Bool
    ) -> Bool {
        if needed <= 0 { return then(used) }
        guard rules.count >= needed, let first = rules.first else { return false }
        let rest = rules.dropFirst()
        if satisfy(first, organizations, used, then: { taken in choose(needed - 1, from: rest, organizations, taken, then: then) }) {
            return true
        }
        return choose(needed, from: rest, organizations, used, then: then)
    }
}
