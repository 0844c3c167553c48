public import Foundation
public import Schema
internal import Wire

/// One change an administrator makes to a channel's configuration (`medledger channel propose`):
/// members, their roots, CRLs and endpoints, the batch limits. Applying edits is pure; policies
/// follow a change of members where their shape says how (see `addOrganization` and
/// `removeOrganization`), and an edit that does not apply is refused with the reason.
public enum ChannelConfigEdit: Sendable, Hashable {
    /// A new member with one root certificate (DER) and no endpoints. An admin policy that is
    /// `majorityOfAdmins` of the members, and a default endorsement policy that is any member's
    /// peer, grow to include it; other policies are left as they are.
    case addOrganization(mspID: String, rootCertificate: Data)
    /// A member leaves, and every policy leaf naming it goes: thresholds are clamped to the rules
    /// left, and an admin policy that was `majorityOfAdmins` of the members becomes that of the rest.
    case removeOrganization(mspID: String)
    /// A member's root certificates (DER), all replaced.
    case replaceRootCertificates(mspID: String, certificates: [Data])
    /// A member's CRLs (DER), all replaced.
    case replaceRevocationLists(mspID: String, crls: [Data])
    /// A member's intermediate CA certificates (DER), all replaced; empty removes them.
    case replaceIntermediates(mspID: String, certificates: [Data])
    case addPeerEndpoint(mspID: String, endpoint: String)
    case addOrdererEndpoint(mspID: String, endpoint: String)
    /// A HOST:PORT, peer or orderer, of whichever member lists it.
    case removeEndpoint(String)
    case maxMessageCount(UInt32)
    case batchTimeoutMillis(UInt64)
    case preferredMaxBytes(UInt64)
    case absoluteMaxBytes(UInt64)

    /// Why an edit, or the configuration the edits make, cannot be proposed.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// `edit` does not apply to the configuration the edits before it left.
        case notApplicable(ChannelConfigEdit, reason: String)
        /// Every edit applied, but no node would accept the resulting configuration.
        case invalidResult(String)

        public var description: String {
            switch self {
            case .notApplicable(let edit, let reason): "cannot \(edit.summary): \(reason)"
            case .invalidResult(let reason): "the proposed configuration would be refused: \(reason)"
            }
        }
    }

    /// The next configuration of the channel: `edits` applied to `current` in order, at the next
    /// sequence, and checked as every node will check it.
    public static func proposal(from current: Medledger_V1_ChannelConfig, applying edits: [Self]) throws(Refusal) -> Medledger_V1_ChannelConfig {
        var next = current
        for edit in edits { try edit.apply(to: &next) }
        next.sequence = current.sequence + 1
        do { _ = try ChannelContext(config: next, configBlockNumber: 0) } catch { throw .invalidResult("\(error)") }
        return next
    }

    /// What the edit does, in a few words.
    public var summary: String {
        switch self {
        case .addOrganization(let mspID, _): "add organisation \(mspID)"
        case .removeOrganization(let mspID): "remove organisation \(mspID)"
        case .replaceRootCertificates(let mspID, _): "replace the root certificates of \(mspID)"
        case .replaceRevocationLists(let mspID, _): "replace the CRLs of \(mspID)"
        case .replaceIntermediates(let mspID, _): "replace the intermediate CAs of \(mspID)"
        case .addPeerEndpoint(let mspID, let endpoint): "add peer endpoint \(endpoint) to \(mspID)"
        case .addOrdererEndpoint(let mspID, let endpoint): "add orderer endpoint \(endpoint) to \(mspID)"
        case .removeEndpoint(let endpoint): "remove endpoint \(endpoint)"
        case .maxMessageCount(let value): "set max_message_count to \(value)"
        case .batchTimeoutMillis(let value): "set batch_timeout_millis to \(value)"
        case .preferredMaxBytes(let value): "set preferred_max_bytes to \(value)"
        case .absoluteMaxBytes(let value): "set absolute_max_bytes to \(value)"
        }
    }

    /// Applies the edit to `config`, which is left unchanged if the edit is refused.
    public func apply(to config: inout Medledger_V1_ChannelConfig) throws(Refusal) {
        switch self {
        case .addOrganization(let mspID, let root):
            guard !mspID.isEmpty else { throw refused("the MSP ID is empty") }
            guard member(mspID, of: config) == nil else { throw refused("\(mspID) is already a member of channel \(config.channelID)") }
            let members = config.organizations.map(\.mspID)
            let grown = members + [mspID]
            if Self.matches(config.adminPolicy, .majorityOfAdmins(members)) { config.adminPolicy = .majorityOfAdmins(grown) }
            if Self.matches(config.defaultEndorsementPolicy, .anyPeer(of: members)) { config.defaultEndorsementPolicy = .anyPeer(of: grown) }
            var organization = Medledger_V1_OrganizationConfig()
            organization.mspID = mspID
            organization.rootCerts = [root]
            config.organizations.append(organization)
        case .removeOrganization(let mspID):
            let index = try requireMember(mspID, of: config)
            guard config.organizations.count > 1 else { throw refused("it is the only member of channel \(config.channelID)") }
            let members = config.organizations.map(\.mspID)
            var next = config
            next.organizations.remove(at: index)
            if Self.matches(config.adminPolicy, .majorityOfAdmins(members)) {
                next.adminPolicy = .majorityOfAdmins(next.organizations.map(\.mspID))
            } else {
                next.adminPolicy = try without(mspID, config.adminPolicy, field: "admin_policy")
            }
            next.defaultEndorsementPolicy = try without(mspID, config.defaultEndorsementPolicy, field: "default_endorsement_policy")
            for name in config.endorsementPolicies.keys.sorted() {
                next.endorsementPolicies[name] = try without(mspID, config.endorsementPolicies[name], field: "endorsement_policies[\(name)]")
            }
            config = next
        case .replaceRootCertificates(let mspID, let certificates):
            let index = try requireMember(mspID, of: config)
            guard !certificates.isEmpty else { throw refused("an organisation needs at least one root certificate") }
            config.organizations[index].rootCerts = certificates
        case .replaceRevocationLists(let mspID, let crls):
            let index = try requireMember(mspID, of: config)
            config.organizations[index].crls = crls
        case .replaceIntermediates(let mspID, let certificates):
            let index = try requireMember(mspID, of: config)
            config.organizations[index].intermediateCerts = certificates
        case .addPeerEndpoint(let mspID, let endpoint):
            let index = try requireMember(mspID, of: config)
            try requireHostPort(endpoint)
            guard !config.organizations[index].peerEndpoints.contains(endpoint) else { throw refused("\(mspID) already lists it") }
            config.organizations[index].peerEndpoints.append(endpoint)
        case .addOrdererEndpoint(let mspID, let endpoint):
            let index = try requireMember(mspID, of: config)
            try requireHostPort(endpoint)
            guard !config.organizations[index].ordererEndpoints.contains(endpoint) else { throw refused("\(mspID) already lists it") }
            config.organizations[index].ordererEndpoints.append(endpoint)
        case .removeEndpoint(let endpoint):
            var next = config
            for index in next.organizations.indices {
                next.organizations[index].peerEndpoints.removeAll { $0 == endpoint }
                next.organizations[index].ordererEndpoints.removeAll { $0 == endpoint }
            }
            let listed = config.organizations.flatMap { $0.peerEndpoints + $0.ordererEndpoints }
            guard next != config else {
                throw refused("no member of channel \(config.channelID) lists it (endpoints: \(listed.isEmpty ? "none" : listed.joined(separator: ", ")))")
            }
            // Peers pull blocks from the members' orderers: without one, the channel stops.
            let orderers = { (c: Medledger_V1_ChannelConfig) in c.organizations.flatMap(\.ordererEndpoints) }
            guard !orderers(next).isEmpty || orderers(config).isEmpty else {
                throw refused("it is the last orderer endpoint of channel \(config.channelID); add another one first")
            }
            config = next
        case .maxMessageCount(let value):
            guard value > 0 else { throw refused("it must be at least 1") }
            config.batch = (config.batch ?? .init()).with { $0.maxMessageCount = value }
        case .batchTimeoutMillis(let value):
            guard value > 0 else { throw refused("it must be at least 1") }
            config.batch = (config.batch ?? .init()).with { $0.batchTimeoutMillis = value }
        case .preferredMaxBytes(let value):
            guard value > 0 else { throw refused("it must be at least 1") }
            config.batch = (config.batch ?? .init()).with { $0.preferredMaxBytes = value }
        case .absoluteMaxBytes(let value):
            guard value > 0 else { throw refused("it must be at least 1") }
            config.batch = (config.batch ?? .init()).with { $0.absoluteMaxBytes = value }
        }
    }

    private func refused(_ reason: String) -> Refusal { .notApplicable(self, reason: reason) }

    private func member(_ mspID: String, of config: Medledger_V1_ChannelConfig) -> Int? {
        config.organizations.firstIndex { $0.mspID == mspID }
    }

    private func requireMember(_ mspID: String, of config: Medledger_V1_ChannelConfig) throws(Refusal) -> Int {
        guard let index = member(mspID, of: config) else {
            let members = config.organizations.map(\.mspID).joined(separator: ", ")
            throw refused("\(mspID) is not a member of channel \(config.channelID) (members: \(members))")
        }
        return index
    }

    private func requireHostPort(_ endpoint: String) throws(Refusal) {
        guard let colon = endpoint.lastIndex(of: ":"), colon != endpoint.startIndex,
            !endpoint.contains(where: \.isWhitespace),
            let port = Int(endpoint[endpoint.index(after: colon)...]), (1...65535).contains(port)
        else { throw refused("an endpoint is HOST:PORT, with a port from 1 to 65535") }
    }

    /// `policy` without `mspID`'s leaves; refused if nothing of it would remain.
    private func without(
        _ mspID: String, _ policy: Medledger_V1_EndorsementPolicy?, field: String
    ) throws(Refusal) -> Medledger_V1_EndorsementPolicy? {
        guard let policy else { return nil }
        guard let kept = policy.removing(mspID) else {
            throw refused("\(field) \(policy.summary) would have no rule left")
        }
        return kept
    }

    /// True if `policy` is `shape` with its rules in any order.
    static func matches(_ policy: Medledger_V1_EndorsementPolicy?, _ shape: Medledger_V1_EndorsementPolicy) -> Bool {
        guard case .nOutOf(let have)? = policy?.rule, case .nOutOf(let want)? = shape.rule else { return policy == shape }
        return have.n == want.n && have.rules.count == want.rules.count && Set(have.rules) == Set(want.rules)
    }
}

extension ChannelConfigEdit {
    /// What differs between two configurations of a channel, one short phrase per change:
    /// members, roots, CRLs and endpoints, then policies, then batch parameters.
    public static func differences(from old: Medledger_V1_ChannelConfig, to new: Medledger_V1_ChannelConfig) -> [String] {
        var changes: [String] = []
        let before = Dictionary(old.organizations.map { ($0.mspID, $0) }, uniquingKeysWith: { first, _ in first })
        for organization in new.organizations {
            let msp = organization.mspID
            let previous = before[msp]
            if let previous {
                if previous.rootCerts != organization.rootCerts { changes.append("\(msp) roots replaced (\(organization.rootCerts.count))") }
                if previous.crls != organization.crls { changes.append("\(msp) CRLs replaced (\(organization.crls.count))") }
                if previous.intermediateCerts != organization.intermediateCerts {
                    changes.append("\(msp) intermediate CAs replaced (\(organization.intermediateCerts.count))")
                }
            } else {
                changes.append("+org \(msp)")
            }
            for (kind, was, now) in [
                ("peer", previous?.peerEndpoints ?? [], organization.peerEndpoints),
                ("orderer", previous?.ordererEndpoints ?? [], organization.ordererEndpoints),
            ] {
                changes += now.filter { !was.contains($0) }.map { "+\(kind) \($0) (\(msp))" }
                changes += was.filter { !now.contains($0) }.map { "-\(kind) \($0) (\(msp))" }
            }
        }
        let remaining = Set(new.organizations.map(\.mspID))
        changes += old.organizations.filter { !remaining.contains($0.mspID) }.map { "-org \($0.mspID)" }

        let chaincodes = Set(old.endorsementPolicies.keys).union(new.endorsementPolicies.keys).sorted()
        var policies: [(String, Medledger_V1_EndorsementPolicy?, Medledger_V1_EndorsementPolicy?)] = [
            ("default endorsement policy", old.defaultEndorsementPolicy, new.defaultEndorsementPolicy)
        ]
        policies += chaincodes.map { ("endorsement policy of \($0)", old.endorsementPolicies[$0], new.endorsementPolicies[$0]) }
        policies.append(("admin policy", old.adminPolicy, new.adminPolicy))
        for (name, was, now) in policies where was != now {
            changes.append("\(name) \(was?.summary ?? "none") → \(now?.summary ?? "none")")
        }

        for (was, now) in zip((old.batch ?? .init()).settings, (new.batch ?? .init()).settings) where was.value != now.value {
            changes.append("\(now.name) \(was.value) → \(now.value)")
        }
        return changes
    }
}

extension Medledger_V1_BatchParameters {
    /// Each parameter with the value in force, "500 (default)" where the field is unset, in
    /// schema order: as `channel show` prints them and proposals summarise their changes.
    public var settings: [(name: String, value: String)] {
        let defaults = BlockCutter.Limits.defaults
        func value(_ raw: UInt64, _ fallback: Int) -> String { raw == 0 ? "\(fallback) (default)" : "\(raw)" }
        return [
            ("max_message_count", value(UInt64(maxMessageCount), defaults.maxMessageCount)),
            ("preferred_max_bytes", value(preferredMaxBytes, defaults.preferredMaxBytes)),
            ("absolute_max_bytes", value(absoluteMaxBytes, defaults.absoluteMaxBytes)),
            ("batch_timeout_millis", value(batchTimeoutMillis, Int(defaults.batchTimeout / .milliseconds(1)))),
        ]
    }

    fileprivate func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

extension Medledger_V1_EndorsementPolicy {
    /// One peer of any of `mspIDs`: the default endorsement policy of `anyPeerEndorses`.
    static func anyPeer(of mspIDs: [String]) -> Self {
        .anyOf(mspIDs.map { .signedBy($0, role: .peer) })
    }

    /// The policy without `mspID`'s `SignedBy` leaves, each threshold clamped to the rules it
    /// keeps; nil if no rule would remain.
    func removing(_ mspID: String) -> Self? {
        switch rule {
        case .signedBy(let leaf)?:
            return leaf.mspID == mspID ? nil : self
        case .nOutOf(let threshold)?:
            guard !threshold.rules.isEmpty else { return self }
            let kept = threshold.rules.compactMap { $0.removing(mspID) }
            guard !kept.isEmpty else { return nil }
            return kept == threshold.rules ? self : .outOf(min(Int(threshold.n), kept.count), kept)
        case nil:
            return self
        }
    }
}
