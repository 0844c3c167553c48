public import Foundation
public import Identity
public import Schema
internal import Synchronization
internal import X509
internal import SwiftASN1
internal import Wire

/// A channel's configuration made ready for validation: its members' CAs as a `Membership`, its
/// endorsement policies and batch limits, and a cache of certificates already verified against
/// those CAs (a certificate's signature is checked once per configuration, not once per transaction;
/// its validity period and revocation are still checked at every use).
public struct ChannelContext: Sendable {
    public let config: Medledger_V1_ChannelConfig
    /// The block that holds this configuration.
    public let configBlockNumber: UInt64
    public let membership: Membership
    private let verified: VerifiedCertificates

    public init(config: Medledger_V1_ChannelConfig, configBlockNumber: UInt64) throws(ChannelConfigError) {
        try ChannelConfigRules.check(config)
        var organizations: [Membership.Organization] = []
        for org in config.organizations {
            var roots: [Certificate] = []
            for der in org.rootCerts {
                guard let root = try? Certificate(derEncoded: Array(der)) else {
                    throw .invalid("organisation \(org.mspID) has a root certificate that is not DER X.509")
                }
                roots.append(root)
            }
            // Each intermediate must be one a root delegated to (signed by it, a CA of path length 0).
            var intermediates: [Certificate: [Certificate]] = [:]
            for (index, der) in org.intermediateCerts.enumerated() {
                var failures: [String] = []
                for root in roots {
                    do {
                        intermediates[root, default: []] += try Membership.intermediates([der], root: root)
                        failures = []
                        break
                    } catch {
                        failures.append(error.description)
                    }
                }
                if !failures.isEmpty {
                    throw .invalid("organisation \(org.mspID): intermediate_certs[\(index)] is not a CA its root delegated to: \(failures.joined(separator: "; "))")
                }
            }
            // Each CRL must be signed by one of the organisation's roots or intermediates; its serials are revoked.
            let issuers = roots + intermediates.values.flatMap { $0 }
            var revoked: Set<String> = []
            for (index, crl) in org.crls.enumerated() {
                guard let serials = issuers.lazy.compactMap({ try? RevocationListDecoder.revokedSerials(der: crl, issuer: $0) }).first else {
                    throw .invalid("organisation \(org.mspID): crls[\(index)] is not a CRL signed by its root or one of its intermediates")
                }
                revoked.formUnion(serials)
            }
            organizations += roots.map {
                Membership.Organization(mspID: org.mspID, rootCertificate: $0, intermediates: intermediates[$0] ?? [], revokedSerials: revoked)
            }
        }
        self.config = config
        self.configBlockNumber = configBlockNumber
        self.membership = Membership(organizations: organizations)
        self.verified = VerifiedCertificates()
    }

    public var channelID: String { config.channelID }

    public var limits: BlockCutter.Limits { BlockCutter.Limits(config.batch ?? .init()) }

    /// True if `mspID` is one of the channel's member organisations.
    public func isMember(_ mspID: String) -> Bool {
        config.organizations.contains { $0.mspID == mspID }
    }

    /// The endorsement policy of `chaincode`: its own entry, else the channel default.
    public func endorsementPolicy(for chaincode: String) -> Medledger_V1_EndorsementPolicy {
        config.endorsementPolicies[chaincode] ?? config.defaultEndorsementPolicy ?? .init()
    }

    /// The member identity `der` proves at `time`; verified signatures are remembered.
    public func identity(der: Data, at time: Date) throws(MembershipError) -> Identity {
        if let known = verified.lookup(der) {
            guard time >= known.certificate.notValidBefore else {
                throw .notYetValid(certificate: known.description, notBefore: known.certificate.notValidBefore)
            }
            guard time <= known.certificate.notValidAfter else {
                throw .expired(certificate: known.description, notAfter: known.certificate.notValidAfter)
            }
            return known
        }
        let identity = try membership.validate(der: der, at: time)
        verified.remember(der, identity)
        return identity
    }
}

/// Certificates whose chain to a member root has been verified, keyed by their DER bytes.
final class VerifiedCertificates: Sendable {
    private let entries = Mutex<[Data: Identity]>([:])
    private static let capacity = 10_000

    func lookup(_ der: Data) -> Identity? {
        entries.withLock { $0[der] }
    }

    func remember(_ der: Data, _ identity: Identity) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[der] = identity
        }
    }
}

/// Why a channel configuration cannot be used.
public enum ChannelConfigError: Error, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): "invalid channel configuration: \(why)"
        }
    }
}

/// The rules every channel configuration must follow.
public enum ChannelConfigRules {
    /// Lowercase letters, digits, '.' and '-', starting with a letter, at most 249 characters (Fabric's rule).
    public static func isValidChannelID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.utf8.count <= 249 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }
    }

    public static func check(_ config: Medledger_V1_ChannelConfig) throws(ChannelConfigError) {
        guard isValidChannelID(config.channelID) else {
            throw .invalid("channel_id \(QuotedInput.quote(config.channelID)) must be lowercase letters, digits, '.' or '-', starting with a letter")
        }
        guard !config.organizations.isEmpty else { throw .invalid("channel \(config.channelID) has no organisations") }
        var seen: Set<String> = []
        for org in config.organizations {
            guard !org.mspID.isEmpty else { throw .invalid("an organisation has an empty msp_id") }
            guard seen.insert(org.mspID).inserted else { throw .invalid("organisation \(org.mspID) is listed twice") }
            guard !org.rootCerts.isEmpty else { throw .invalid("organisation \(org.mspID) has no root certificate") }
        }
        let policies = [("default_endorsement_policy", config.defaultEndorsementPolicy), ("admin_policy", config.adminPolicy)]
            + config.endorsementPolicies.sorted { $0.key < $1.key }.map { ("endorsement_policies[\($0.key)]", $0.value) }
        for (field, policy) in policies {
            guard let policy else { throw .invalid("\(field) is missing") }
            if policy.hasCreatorLeafNamingAnOrganization {
                throw .invalid("\(field) has a creator_organization rule that also names an msp_id")
            }
            if let unknown = policy.mspIDs.first(where: { !seen.contains($0) }) {
                throw .invalid("\(field) names organisation \(unknown), which is not a member")
            }
        }
        for rule in config.dataOwnerRules where rule.chaincode.isEmpty || rule.objectType.isEmpty || rule.ownerField.isEmpty {
            throw .invalid("data_owner_rules entry \(QuotedInput.quote(rule.summary)) needs chaincode, object_type and owner_field")
        }
        if let batch = config.batch, batch.absoluteMaxBytes != 0, batch.preferredMaxBytes > batch.absoluteMaxBytes {
            throw .invalid("batch.preferred_max_bytes exceeds batch.absolute_max_bytes")
        }
    }
}

extension Medledger_V1_EndorsementPolicy {
    /// Every organisation the policy names (creator-organisation rules name none).
    var mspIDs: [String] {
        switch rule {
        case .signedBy(let leaf)?: leaf.creatorOrganization ? [] : [leaf.mspID]
        case .nOutOf(let threshold)?: threshold.rules.flatMap(\.mspIDs)
        case nil: []
        }
    }

    /// True if a creator-organisation rule also sets `msp_id` (which it must leave empty).
    var hasCreatorLeafNamingAnOrganization: Bool {
        switch rule {
        case .signedBy(let leaf)?: leaf.creatorOrganization && !leaf.mspID.isEmpty
        case .nOutOf(let threshold)?: threshold.rules.contains { $0.hasCreatorLeafNamingAnOrganization }
        case nil: false
        }
    }
}
