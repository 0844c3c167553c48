internal import Foundation
internal import Identity
internal import LedgerCore
internal import Schema
internal import SwiftASN1
internal import Wire
internal import X509

extension ChainExplorer {
    /// The summary of `block`; never throws, so that one malformed transaction does not hide a page.
    static func summary(of block: Medledger_V1_Block) -> BlockSummary {
        let header = block.header ?? .init()
        let codes = block.metadata?.validationCodes ?? []
        let transactions = (block.data?.data ?? []).enumerated().map { index, envelope in
            // As the node's filtered blocks do: a transaction without a recorded code is not validated.
            TransactionSummary(envelope: envelope, code: index < codes.count ? codes[index] : .notValidated)
        }
        return BlockSummary(
            number: header.number, time: transactions.compactMap(\.time).max(), transactionCount: transactions.count,
            validCount: transactions.filter { $0.validationCode == TransactionSummary.name(of: .valid) }.count,
            hash: Hex.encode(BlockHashing.hash(of: header)), previousHash: Hex.encode(header.previousHash),
            dataHash: Hex.encode(header.dataHash), transactions: transactions)
    }
}

extension TransactionSummary {
    /// Reads what decodes of `envelope`; it stays `undecodable` unless every part it summarises decodes.
    init(envelope: Data, code: Medledger_V1_TxValidationCode) {
        self.init(
            txID: "", kind: .undecodable, creator: nil, creatorMSP: nil, contract: nil, function: nil,
            validationCode: Self.name(of: code), endorsers: [], keysWritten: [], time: nil)
        guard let envelope = try? Medledger_V1_Envelope(serializedData: envelope),
            let transaction = try? Medledger_V1_Transaction(serializedData: envelope.payload)
        else { return }
        switch transaction.body {
        case .endorserTransaction(let endorsed)?: read(endorsed)
        case .configTransaction(let change)?: read(change)
        case nil: return
        }
    }

    private mutating func read(_ endorsed: Medledger_V1_EndorserTransaction) {
        guard let proposal = endorsed.proposal else { return }
        txID = DisplayText.bounded(proposal.txID)
        let creator = CertificateName(der: proposal.creator)
        (self.creator, creatorMSP) = (creator.label, creator.organization)
        contract = DisplayText.bounded(proposal.chaincodeName)
        // The function name only: the arguments (`input.args`) may carry health metadata.
        function = proposal.input.map { DisplayText.bounded($0.function) }
        time = proposal.timestamp?.date
        endorsers = endorsed.endorsements.map { CertificateName(der: $0.endorser).label }
        guard let payload = try? Medledger_V1_ProposalResponsePayload(serializedData: endorsed.proposalResponsePayload) else { return }
        keysWritten = payload.results.flatMap { set in
            set.writes.map { write in
                "\(DisplayText.bounded(set.namespace)) \(DisplayText.key(write.key))\(write.isDelete ? " (deleted)" : "")"
            }
        }
        kind = .endorser
    }

    private mutating func read(_ change: Medledger_V1_ConfigTransaction) {
        txID = DisplayText.bounded(change.txID)
        let creator = CertificateName(der: change.creator)
        (self.creator, creatorMSP) = (creator.label, creator.organization)
        time = change.timestamp?.date
        endorsers = change.signatures.map { CertificateName(der: $0.signer).label }
        kind = .config
    }

    /// "VALID", "MVCC_READ_CONFLICT", …: the schema's name without the enum's prefix.
    static func name(of code: Medledger_V1_TxValidationCode) -> String {
        guard let name = code.protoName else { return "UNRECOGNIZED(\(code.rawValue))" }
        let prefix = "TX_VALIDATION_CODE_"
        return name.hasPrefix(prefix) ? String(name.dropFirst(prefix.count)) : name
    }
}

/// Text from the ledger made safe to show a person: any member may write a chaincode name or a
/// certificate's CN, so direction-changing and invisible characters must not forge what an
/// auditor reads, nor a megabyte name fill the screen.
enum DisplayText {
    static func bounded(_ text: String) -> String {
        QuotedInput.bounded(text, limit: 256)
    }

    /// A state key: a composite key (U+0000, object type, U+0000, each attribute followed by
    /// U+0000, as the chaincode stub builds them) as `type(attribute, …)`, any other key quoted.
    static func key(_ key: String) -> String {
        let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts.first == "", parts.last == "" else { return QuotedInput.quote(key) }
        let fields = parts.dropFirst().dropLast().map { bounded(String($0)) }
        return "\(fields[0])(\(fields.dropFirst().joined(separator: ", ")))"
    }
}

/// Who a DER certificate names, as its subject and issuer state them: the role (OU), the
/// enrollment ID (CN) and the issuing organisation (the issuer's O, which an organisation's CA
/// sets to its MSP ID).
struct CertificateName {
    /// "role enrollmentID@organisation", e.g. "peer peer0.hospitala@HospitalAMSP".
    let label: String
    let organization: String?

    init(der: Data) {
        guard let certificate = try? Certificate(derEncoded: Array(der)) else {
            (label, organization) = ("an unreadable certificate", nil)
            return
        }
        let subject = certificate.subject
        let enrollmentID = Membership.values(of: .RDNAttributeType.commonName, in: subject).first ?? "?"
        let role = Membership.values(of: .RDNAttributeType.organizationalUnitName, in: subject)
            .lazy.compactMap(Medledger_V1_Role.init(certificateName:)).first?.certificateName
        organization = (Membership.values(of: .RDNAttributeType.organizationName, in: certificate.issuer)
            + Membership.values(of: .RDNAttributeType.organizationName, in: subject)).first.map(DisplayText.bounded)
        label = DisplayText.bounded("\(role.map { "\($0) " } ?? "")\(enrollmentID)@\(organization ?? "?")")
    }
}
