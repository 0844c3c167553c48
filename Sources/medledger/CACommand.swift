internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import Identity
internal import CertificateAuthority
internal import Schema
internal import SwiftASN1
internal import X509

/// `medledger ca …`: create an organisation CA and register, enroll, renew, revoke and list identities.
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Manage an organisation's certificate authority and identities.",
        subcommands: [Init.self, Intermediate.self, Register.self, Enroll.self, Reenroll.self, Revoke.self, Unlock.self, List.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new organisation CA in a directory.")

        @Option(name: .customLong("dir"), help: ArgumentHelp("Where to create the CA.", valueName: "DIR"))
        var directory: String

        @Option(name: .customLong("msp-id"), help: "The organisation's MSP ID.")
        var mspID = "MedLedgerOrg1MSP"

        func run() async throws {
            let url = URL(fileURLWithPath: directory)
            let ca = try OrganizationCA.initialize(in: url, mspID: mspID, name: "\(mspID) CA")
            print("Created CA for \(ca.mspID)")
            print("Root certificate: \(OrganizationCA.certificatePath(in: url))")
            print("Key (mode 0600): \(OrganizationCA.keyPath(in: url))")
        }
    }

    struct Intermediate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an intermediate CA that an organisation's root CA delegates to (offline, on the root CA's directory).",
            discussion: """
                The intermediate issues identities of the same organisation. Members accept them once the \
                organisation's channels list its certificate: `medledger channel propose --intermediate MSPID=ca-cert.pem`.
                """)

        @Option(name: .customLong("root-dir"), help: ArgumentHelp("The root CA's directory (DATA/ca of a node that is not running).", valueName: "DIR"))
        var rootDirectory: String
        @Option(name: .customLong("dir"), help: ArgumentHelp("Where to create the intermediate CA.", valueName: "DIR")) var directory: String
        @Option(help: "The intermediate's name (its certificate's CN).") var name: String
        @Option(help: "How long it is valid, in days (never beyond the root).") var validityDays = 5 * 365

        func run() async throws {
            guard validityDays > 0 else { throw ValidationError("--validity-days must be positive") }
            let url = URL(fileURLWithPath: directory)
            let ca = try OrganizationCA.initializeIntermediate(
                in: url, delegatedBy: URL(fileURLWithPath: rootDirectory), name: name, validity: TimeInterval(validityDays) * 86_400)
            print("Created intermediate CA \(name) of \(ca.mspID)")
            print("Certificate: \(OrganizationCA.certificatePath(in: url))")
            print("Key (mode 0600): \(OrganizationCA.keyPath(in: url))")
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an identity (needs an admin --identity).")

        @OptionGroup var connection: NodeConnectionOptions
        @Option(name: .customLong("id"), help: "The new enrollment ID.") var enrollmentID: String
        @Option(help: "One of: \(Medledger_V1_Role.certifiable.compactMap(\.certificateName).joined(separator: ", ")).")
        var role: String
        @Option(name: .customLong("attr"), help: "An attribute NAME=VALUE (repeatable).") var attributes: [String] = []
        @Option(help: "Allowed enrollments: 0 = CA default, -1 = unlimited.") var maxEnrollments: Int32 = 0

        func run() async throws {
            guard let parsedRole = Medledger_V1_Role(certificateName: role) else {
                throw ValidationError("unknown role '\(role)'")
            }
            var request = Medledger_V1_RegisterRequest()
            request.enrollmentID = enrollmentID
            request.role = parsedRole
            request.maxEnrollments = maxEnrollments
            for attribute in attributes {
                guard let equals = attribute.firstIndex(of: "=") else { throw ValidationError("--attr needs NAME=VALUE") }
                request.attributes[String(attribute[..<equals])] = String(attribute[attribute.index(after: equals)...])
            }
            let response = try await reportingRPCErrors {
                try await connection.withClient(requireIdentity: true) { try await $0.register(request) }
            }
            print("Registered \(enrollmentID); enrollment secret (shown once): \(response.secret)")
        }
    }

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll: make a key and CSR locally, get a certificate, write an identity folder."
        )

        @OptionGroup var connection: NodeConnectionOptions
        @Option(name: .customLong("id"), help: "The registered enrollment ID.") var enrollmentID: String
        @Option(help: "The enrollment secret.") var secret: String
        @Option(name: .customLong("msp-id"), help: "The organisation whose CA enrolls, on a node hosting several (default: the node's own).")
        var mspID = ""
        @Option(name: .customLong("out"), help: ArgumentHelp("The identity folder to write.", valueName: "DIR"))
        var output: String

        func run() async throws {
            let (key, csr) = try IdentityFolder.makeCSR(commonName: enrollmentID)
            var request = Medledger_V1_EnrollRequest()
            request.enrollmentID = enrollmentID
            request.secret = secret
            request.csr = Data(csr)
            request.mspID = mspID
            let response = try await reportingRPCErrors {
                try await connection.withClient(requireIdentity: false) { try await $0.enroll(request) }
            }
            let certificate = try Certificate(derEncoded: Array(response.certificate))
            guard let rootDER = response.caChain.last else { throw ValidationError("the CA returned no chain") }
            let folder = IdentityFolder(directory: URL(fileURLWithPath: output))
            try folder.save(key: key, certificate: certificate, caCertificate: try Certificate(derEncoded: Array(rootDER)))
            print("Enrolled \(enrollmentID): serial \(certificate.serialNumber.hexString), expires \(certificate.notValidAfter.ISO8601Format())")
            print("Identity folder: \(folder.directory.path)")
        }
    }

    struct Reenroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Renew the --identity's certificate with a new key.")

        @OptionGroup var connection: NodeConnectionOptions

        func run() async throws {
            guard let folder = connection.identity else { throw ValidationError("reenroll needs --identity DIR") }
            let current = try folder.loadCertificate()
            let name = Membership.values(of: .RDNAttributeType.commonName, in: current.subject).first ?? "identity"
            let (key, csr) = try IdentityFolder.makeCSR(commonName: name)
            var request = Medledger_V1_ReenrollRequest()
            request.csr = Data(csr)
            let response = try await reportingRPCErrors {
                try await connection.withClient(requireIdentity: true) { try await $0.reenroll(request) }
            }
            let certificate = try Certificate(derEncoded: Array(response.certificate))
            try folder.replace(key: key, certificate: certificate)
            print("Re-enrolled \(name): serial \(certificate.serialNumber.hexString), expires \(certificate.notValidAfter.ISO8601Format())")
        }
    }
}
