internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema
internal import SwiftASN1
internal import X509

/// `medledger channel …`: create, list and reconfigure channels through the Admin service. A
/// configuration change is proposed to a file, approved offline by administrators, then submitted.
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel",
        abstract: "Create, list and reconfigure channels (administrators).",
        subcommands: [Create.self, List.self, Show.self, Propose.self, Approve.self, Update.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a channel of the node's organisation and the organisations given.",
            discussion: """
                Each --org is MSPID=PATH, PATH being that organisation's root CA certificate (PEM). The node's own \
                organisation (the --identity's CA) is always a member. Any one member organisation's peer endorses \
                by default; --policy all requires every organisation's peer.
                """
        )

        @OptionGroup var connection: NodeConnectionOptions
        @Option(help: "The channel name: lowercase letters, digits, '.' and '-'.") var name: String
        @Option(help: "Another member organisation, MSPID=ROOT.pem (repeatable).") var org: [String] = []
        @Option(help: "Endorsement policy: any (one organisation's peer) or all.") var policy = "any"
        @Option(help: "Largest number of transactions in a block.") var maxMessageCount: UInt32 = 500
        @Option(help: "Close a block this many ms after its first transaction.") var batchTimeoutMillis: UInt64 = 20

        func run() async throws {
            guard let identity = connection.identity else { throw ValidationError("give --identity DIR (an admin)") }
            var organizations: [(String, Certificate)] = []
            // The CA names its organisation's MSP ID in its subject (O=).
            let own = try identity.loadCACertificate()
            guard let ownMSP = Membership.values(of: .RDNAttributeType.organizationName, in: own.subject).first else {
                throw ValidationError("the CA certificate of --identity names no organisation (O=)")
            }
            organizations.append((ownMSP, own))
            for entry in org {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--org must be MSPID=ROOT.pem, got '\(entry)'") }
                let pem = try String(contentsOfFile: parts[1], encoding: .utf8)
                organizations.append((parts[0], try Certificate(pemEncoded: pem)))
            }
            var config = Medledger_V1_ChannelConfig()
            config.channelID = name
            for (msp, root) in organizations {
                var member = Medledger_V1_OrganizationConfig()
                member.mspID = msp
                member.rootCerts = [Data(try root.derBytes)]
                config.organizations.append(member)
            }
            let peers = organizations.map { Medledger_V1_EndorsementPolicy.signedBy($0.0, role: .peer) }
            switch policy {
            case "any": config.defaultEndorsementPolicy = .anyOf(peers)
            case "all": config.defaultEndorsementPolicy = .allOf(peers)
            default: throw ValidationError("--policy is any or all")
            }
            config.adminPolicy = .majorityOfAdmins(organizations.map(\.0))
            var batch = Medledger_V1_BatchParameters()
            batch.maxMessageCount = maxMessageCount
            batch.batchTimeoutMillis = batchTimeoutMillis
            config.batch = batch
            var request = Medledger_V1_CreateChannelRequest()
            request.config = config
            let genesis = try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).createChannel(request).genesisBlock
                }
            }
            let hash = genesis?.header.map { Hex.encode(BlockHashing.hash(of: $0)) } ?? "?"
            print("created channel \(name) with \(organizations.map(\.0).joined(separator: ", ")); genesis block hash \(hash)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the channels your organisation belongs to.")

        @OptionGroup var connection: NodeConnectionOptions

        func run() async throws {
            let channels = try await reportingRPCErrors {
                try await connection.withNodeClient(requireIdentity: true) { client in
                    try await Medledger_V1_Admin.Client(wrapping: client).listChannels(Medledger_V1_ListChannelsRequest()).channels
                }
            }
            for channel in channels {
                print("\(channel.channelID)\theight \(channel.height)\t\(Hex.encode(channel.currentBlockHash))")
            }
        }
    }
}
