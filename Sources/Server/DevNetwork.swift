public import Foundation
public import Identity
public import CertificateAuthority
public import LedgerStore
public import Logging
internal import LedgerCore
public import Schema

/// The embedded development network that `medledger dev` runs: the CAs of four organisations
/// (two hospitals, a pharma company, a regulator), a peer identity per organisation, the orderer
/// (run by the first hospital), the content store, the channels `ehr` (all four) and `hospitals`
/// (the two hospitals), and demo identities written as identity folders — all in one process
/// under one data directory. The first start creates everything; later starts reuse it.
///
/// Layout: `orgs/<Org>/ca/` and `orgs/<Org>/peer/`, `orgs/HospitalA/orderer/`,
/// `identities/<name>/` (cert.pem, key.pem 0600, ca.pem, tls-ca.pem), and the node's own
/// `tls/`, `ledger/`, `content/`.
public struct DevNetwork: Sendable {
    /// One organisation of the network.
    public struct Organization: Sendable {
        public let name: String
        public let mspID: String
    }

    /// A demo identity: its folder name (also its enrollment ID), organisation and role.
    public struct DemoIdentity: Sendable {
        public let name: String
        public let organization: String
        public let role: Medledger_V1_Role
    }

    public static let organizations = [
        Organization(name: "HospitalA", mspID: "HospitalAMSP"),
        Organization(name: "HospitalB", mspID: "HospitalBMSP"),
        Organization(name: "PharmaCo", mspID: "PharmaCoMSP"),
        Organization(name: "Regulator", mspID: "RegulatorMSP"),
    ]

    /// The channels and their member organisations (by name).
    public static let channels: [(id: String, members: [String])] = [
        ("ehr", ["HospitalA", "HospitalB", "PharmaCo", "Regulator"]),
        ("hospitals", ["HospitalA", "HospitalB"]),
    ]

    /// Everyone the demo story needs. Each organisation's admin is its bootstrap admin.
    public static let demoIdentities: [DemoIdentity] =
        organizations.map { DemoIdentity(name: adminName(of: $0.name), organization: $0.name, role: .admin) } + [
            DemoIdentity(name: "dr-alice", organization: "HospitalA", role: .clinician),
            DemoIdentity(name: "dr-bob", organization: "HospitalB", role: .clinician),
            DemoIdentity(name: "patient-1", organization: "HospitalA", role: .patient),
            DemoIdentity(name: "patient-2", organization: "HospitalA", role: .patient),
            DemoIdentity(name: "patient-3", organization: "HospitalB", role: .patient),
            DemoIdentity(name: "researcher", organization: "PharmaCo", role: .researcher),
            DemoIdentity(name: "auditor", organization: "Regulator", role: .auditor),
        ]

    public static func adminName(of organization: String) -> String { "\(organization.lowercased())-admin" }

    public let dataDirectory: URL

    public init(dataDirectory: URL) {
        self.dataDirectory = dataDirectory
    }

    /// Where the demo identities are (`DIR/identities/`).
    public var identities: IdentityDirectory { .developmentNetwork(dataDirectory: dataDirectory) }

    public var identitiesDirectory: URL { identities.url }

    /// The identity folder of the demo identity `name`.
    public func identity(_ name: String) -> IdentityFolder {
        identities.identity(name)
    }

    /// Opens the network's node, creating the organisations, identities and channels that do
    /// not exist yet. `created` is true on the first start.
    public func openNode(
        configuration: ServerConfiguration, durability: Durability = .full, logger: Logger = Logger(label: "medledger.dev")
    ) throws -> (node: MedLedgerNode, created: Bool) {
        let lock = try DataDirectoryLock(directory: dataDirectory)
        var hosted: [HostedOrganization] = []
        var created = false
        var bootstraps: [OrganizationBootstrap] = []
        for organization in Self.organizations {
            let bootstrap = OrganizationBootstrap(
                dataDirectory: dataDirectory.appendingPathComponent("orgs/\(organization.name)", isDirectory: true),
                mspID: organization.mspID,
                adminDirectory: identity(Self.adminName(of: organization.name)).directory)
            let (ca, admin) = try bootstrap.openOrCreate(logger: logger)
            created = created || admin != nil
            hosted.append(HostedOrganization(ca: ca, peer: try bootstrap.nodeSigner(ca: ca, folder: "peer", enrollmentID: "peer0", role: .peer)))
            bootstraps.append(bootstrap)
        }
        for demo in Self.demoIdentities where demo.role != .admin {
            guard let ca = hosted.first(where: { $0.ca.mspID == Self.mspID(of: demo.organization) })?.ca else { continue }
            try Self.enrollIfMissing(demo, folder: identity(demo.name), ca: ca)
        }
        let orderer = try bootstraps[0].nodeSigner(ca: hosted[0].ca, folder: "orderer", enrollmentID: "orderer0", role: .orderer)
        let node = try MedLedgerNode(
            configuration: configuration, organizations: hosted, orderer: orderer,
            adminDirectory: identity(Self.adminName(of: Self.organizations[0].name)).directory, createdAdmin: created,
            lock: lock, durability: durability, logger: logger)
        for demo in Self.demoIdentities {
            try identity(demo.name).saveTLSRoot(hosted[0].ca.authority.rootCertificate)
        }
        try createMissingChannels(on: node.ledger, organizations: hosted.map(\.ca))
        return (node, created)
    }

    public static func mspID(of organization: String) -> String {
        organizations.first { $0.name == organization }?.mspID ?? organization
    }

    /// Registers and enrolls `demo` with `ca` into `folder`, unless the folder holds a certificate.
    public static func enrollIfMissing(_ demo: DemoIdentity, folder: IdentityFolder, ca: OrganizationCA) throws {
        guard !FileManager.default.fileExists(atPath: folder.certificatePath) else { return }
        let secret = try ca.register(enrollmentID: demo.name, role: demo.role)
        let (key, csr) = try IdentityFolder.makeCSR(commonName: demo.name)
        let certificate = try ca.enroll(enrollmentID: demo.name, secret: secret, csr: csr)
        try folder.save(key: key, certificate: certificate, caCertificate: ca.authority.rootCertificate)
    }

    private func createMissingChannels(on ledger: LedgerNode, organizations: [OrganizationCA]) throws {
        let existing = Set(ledger.channelIDs)
        for (id, members) in Self.channels where !existing.contains(id) {
            let configs = try members.map { name in
                try organizations.first { $0.mspID == Self.mspID(of: name) }!.channelOrganization()
            }
            _ = try ledger.createChannel(.anyPeerEndorses(channelID: id, organizations: configs))
        }
    }
}
