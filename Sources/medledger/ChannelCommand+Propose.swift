internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import SwiftASN1
internal import X509

extension ChannelCommand {
    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a proposed change of a channel's configuration, for its administrators to approve.",
            discussion: """
                Fetches the configuration in force, applies the edits in the order the options are listed here, and \
                writes FILE: the complete next configuration (sequence + 1), without approvals. Policies follow a \
                change of members where their shape says how: an admin policy that is a majority of the members' \
                admins, and a default endorsement policy of any member's peer, take in a new member; a removed member \
                leaves every policy, each threshold clamped to the rules left.
                """
        )

        @OptionGroup var connection: NodeConnectionOptions
        @Option(help: "The channel.") var channel: String
        @Option(help: ArgumentHelp("Where to write the proposal.", valueName: "FILE")) var out: String
        @Option(help: ArgumentHelp("Add an organisation with its root CA certificate, PEM (repeatable).", valueName: "MSPID=ROOT.pem"))
        var addOrg: [String] = []
        @Option(help: ArgumentHelp("Remove an organisation, from the members and every policy (repeatable).", valueName: "MSPID"))
        var removeOrg: [String] = []
        @Option(help: ArgumentHelp("Replace an organisation's root certificates, PEM; repeat for several roots.", valueName: "MSPID=ROOT.pem"))
        var root: [String] = []
        @Option(help: ArgumentHelp("Replace an organisation's CRLs, DER or PEM; repeat for several.", valueName: "MSPID=CRL"))
        var crl: [String] = []
        @Option(
            help: ArgumentHelp(
                "Replace an organisation's intermediate CA certificates, PEM; repeat for several.",
                valueName: "MSPID=INTERMEDIATE.pem"))
        var intermediate: [String] = []
        @Option(help: ArgumentHelp("Add a peer endpoint of an organisation (repeatable).", valueName: "MSPID=HOST:PORT"))
        var peerEndpoint: [String] = []
        @Option(help: ArgumentHelp("Add an orderer endpoint of an organisation (repeatable).", valueName: "MSPID=HOST:PORT"))
        var ordererEndpoint: [String] = []
        @Option(help: ArgumentHelp("Remove a peer or orderer endpoint (repeatable).", valueName: "HOST:PORT"))
        var removeEndpoint: [String] = []
        @Option(help: "Largest number of transactions in a block.") var maxMessageCount: UInt32?
        @Option(help: "Close a block this many ms after its first transaction.") var batchTimeoutMillis: UInt64?
        @Option(help: "Close a block once its transactions total this many bytes.") var preferredMaxBytes: UInt64?
        @Option(help: "Refuse a transaction larger than this many bytes.") var absoluteMaxBytes: UInt64?

        func validate() throws {
            let lists = [addOrg, removeOrg, root, crl, intermediate, peerEndpoint, ordererEndpoint, removeEndpoint]
            let batch = maxMessageCount != nil || batchTimeoutMillis != nil || preferredMaxBytes != nil || absoluteMaxBytes != nil
            guard batch || lists.contains(where: { !$0.isEmpty }) else {
                throw ValidationError(
                    "give at least one edit: --add-org, --remove-org, --root, --crl, --intermediate, --peer-endpoint, --orderer-endpoint, --remove-endpoint or a batch option")
            }
        }

        func run() async throws {
            let edits = try requestedEdits()
            var request = Medledger_V1_GetChannelConfigRequest()
            request.channelID = channel
            let response = try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).getChannelConfig(request)
                }
            }
            let current = response.config ?? .init()
            let next: Medledger_V1_ChannelConfig
            do throws(ChannelConfigEdit.Refusal) {
                next = try ChannelConfigEdit.proposal(from: current, applying: edits.map { $0.edit })
            } catch {
                switch error {
                case .notApplicable(let edit, let reason):
                    let option = edits.first(where: { $0.edit == edit })?.option ?? edit.summary
                    throw ValidationError("\(option): \(reason)")
                case .invalidResult:
                    throw ValidationError("\(error)")
                }
            }
            let changes = ChannelConfigEdit.differences(from: current, to: next)
            guard !changes.isEmpty else { throw ValidationError("the edits leave channel \(channel)'s configuration as it is") }
            var proposal = Medledger_V1_ConfigTransaction()
            proposal.config = next
            try ConfigProposalFile.write(proposal, to: out)
            print("wrote \(out): channel \(channel) sequence \(current.sequence) → \(next.sequence): \(changes.joined(separator: "; "))")
            print("approvals must satisfy the admin policy in force, \(current.adminPolicy?.summary ?? "none") (the admin who runs update counts as one)")
            print("next: each approving admin runs `medledger channel approve \(out) --identity DIR`; then `medledger channel update \(out)`")
        }

        /// The edits in the order they apply, each with the option that asked for it.
        func requestedEdits() throws -> [(option: String, edit: ChannelConfigEdit)] {
            var edits: [(option: String, edit: ChannelConfigEdit)] = []
            for entry in addOrg {
                let (mspID, path) = try Self.split(entry, option: "--add-org", expecting: "MSPID=ROOT.pem")
                let certificate = try Self.certificate(path, option: "--add-org \(entry)")
                edits.append(("--add-org \(entry)", .addOrganization(mspID: mspID, rootCertificate: certificate)))
            }
            for mspID in removeOrg { edits.append(("--remove-org \(mspID)", .removeOrganization(mspID: mspID))) }
            // Repeated --root or --crl options of one organisation together make its new list.
            for (mspID, paths) in try Self.grouped(root, option: "--root", expecting: "MSPID=ROOT.pem") {
                let option = "--root \(mspID)=\(paths.joined(separator: ","))"
                let roots = try paths.map { try Self.certificate($0, option: option) }
                edits.append((option, .replaceRootCertificates(mspID: mspID, certificates: roots)))
            }
            for (mspID, paths) in try Self.grouped(crl, option: "--crl", expecting: "MSPID=CRL") {
                let option = "--crl \(mspID)=\(paths.joined(separator: ","))"
                let crls = try paths.map { try Self.revocationList($0, option: option) }
                edits.append((option, .replaceRevocationLists(mspID: mspID, crls: crls)))
            }
            for (mspID, paths) in try Self.grouped(intermediate, option: "--intermediate", expecting: "MSPID=INTERMEDIATE.pem") {
                let option = "--intermediate \(mspID)=\(paths.joined(separator: ","))"
                let certificates = try paths.map { try Self.certificate($0, option: option) }
                edits.append((option, .replaceIntermediates(mspID: mspID, certificates: certificates)))
            }
            for entry in peerEndpoint {
                let (mspID, endpoint) = try Self.split(entry, option: "--peer-endpoint", expecting: "MSPID=HOST:PORT")
                edits.append(("--peer-endpoint \(entry)", .addPeerEndpoint(mspID: mspID, endpoint: endpoint)))
            }
            for entry in ordererEndpoint {
                let (mspID, endpoint) = try Self.split(entry, option: "--orderer-endpoint", expecting: "MSPID=HOST:PORT")
                edits.append(("--orderer-endpoint \(entry)", .addOrdererEndpoint(mspID: mspID, endpoint: endpoint)))
            }
            for endpoint in removeEndpoint { edits.append(("--remove-endpoint \(endpoint)", .removeEndpoint(endpoint))) }
            if let maxMessageCount { edits.append(("--max-message-count \(maxMessageCount)", .maxMessageCount(maxMessageCount))) }
            if let batchTimeoutMillis { edits.append(("--batch-timeout-millis \(batchTimeoutMillis)", .batchTimeoutMillis(batchTimeoutMillis))) }
            if let preferredMaxBytes { edits.append(("--preferred-max-bytes \(preferredMaxBytes)", .preferredMaxBytes(preferredMaxBytes))) }
            if let absoluteMaxBytes { edits.append(("--absolute-max-bytes \(absoluteMaxBytes)", .absoluteMaxBytes(absoluteMaxBytes))) }
            return edits
        }

        /// MSPID=VALUE, both non-empty.
        static func split(_ entry: String, option: String, expecting form: String) throws -> (String, String) {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw ValidationError("\(option) must be \(form), got '\(entry)'") }
            return (parts[0], parts[1])
        }

        /// The values of MSPID=VALUE entries per organisation, organisations in the order first given.
        static func grouped(_ entries: [String], option: String, expecting form: String) throws -> [(String, [String])] {
            var groups: [(String, [String])] = []
            for entry in entries {
                let (mspID, value) = try split(entry, option: option, expecting: form)
                if let index = groups.firstIndex(where: { $0.0 == mspID }) { groups[index].1.append(value) } else { groups.append((mspID, [value])) }
            }
            return groups
        }

        /// The DER of the PEM certificate at `path`.
        static func certificate(_ path: String, option: String) throws -> Data {
            do {
                return Data(try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8)).derBytes)
            } catch {
                throw ValidationError("\(option): \(path) is not a readable PEM certificate (\(error))")
            }
        }

        /// The DER of the CRL at `path`, which holds DER or a PEM "X509 CRL".
        static func revocationList(_ path: String, option: String) throws -> Data {
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("\(option): cannot read \(path): \(error.localizedDescription)")
            }
            guard let text = String(data: bytes, encoding: .utf8), text.contains("-----BEGIN") else { return bytes }
            guard let document = try? PEMDocument(pemString: text), document.discriminator == "X509 CRL" else {
                throw ValidationError("\(option): \(path) is PEM but not one X509 CRL")
            }
            return Data(document.derBytes)
        }
    }
}
