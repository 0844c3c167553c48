internal import ArgumentParser
internal import Foundation
internal import Identity
internal import Schema
internal import SwiftASN1
internal import Wire
internal import X509

/// The file a channel configuration change travels in from `channel propose` through each
/// `channel approve` to `channel update`: the binary `ConfigTransaction` holding the new
/// configuration and the approvals gathered so far. Its tx ID, nonce and creator stay empty;
/// `update` makes the transaction that is submitted.
enum ConfigProposalFile {
    /// The proposal at `path` and the configuration it proposes.
    static func read(_ path: String) throws -> (proposal: Medledger_V1_ConfigTransaction, config: Medledger_V1_ChannelConfig) {
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
        guard let proposal = try? Medledger_V1_ConfigTransaction(serializedData: bytes), let config = proposal.config else {
            throw ValidationError("\(path) is not a configuration proposal (make one with `medledger channel propose`)")
        }
        return (proposal, config)
    }

    /// Replaces `path` whole, so that an interrupted write never leaves half a proposal.
    static func write(_ proposal: Medledger_V1_ConfigTransaction, to path: String) throws {
        try proposal.serializedData().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// "enrollmentID@MSPID" as a DER certificate's subject names them (CN and O).
    static func name(ofCertificate der: Data) -> String {
        guard let certificate = try? Certificate(derEncoded: Array(der)) else { return "an unreadable certificate" }
        let commonName = Membership.values(of: .RDNAttributeType.commonName, in: certificate.subject).first ?? "?"
        let organization = Membership.values(of: .RDNAttributeType.organizationName, in: certificate.subject).first ?? "?"
        return "\(commonName)@\(organization)"
    }
}
