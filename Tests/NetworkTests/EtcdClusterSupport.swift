import CertificateAuthority
import Foundation
import Identity
import LedgerCore
import LocalNetwork
import Logging
import MedLedgerTesting
import Ordering
import Schema
import Testing
import Wire

/// Runs `body` with a 3-member etcd cluster of child processes on loopback (mTLS), stopping it
/// afterwards whatever happens. Fails if the members do not all answer within 30 seconds.
func withEtcdCluster<Result: Sendable>(_ body: (LocalEtcdCluster, TemporaryDirectory) async throws -> Result) async throws -> Result {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let cluster = try LocalEtcdCluster.openOrPlan(directory: directory.url.appendingPathComponent("etcd"))
    try cluster.start()
    do {
        try await cluster.waitUntilReady(timeout: .seconds(60))
        let result = try await body(cluster, directory)
        await cluster.stop()
        return result
    } catch {
        let logs = cluster.members.map { member in
            "\(member.name): " + ((try? String(contentsOf: cluster.directory.appendingPathComponent("\(member.name).log"), encoding: .utf8)) ?? "")
                .suffix(2_000)
        }
        await cluster.stop()
        throw ClusterFailure(error: error, logs: logs.joined(separator: "\n"))
    }
}

struct ClusterFailure: Error, CustomStringConvertible {
    var error: any Error
    var logs: String
    var description: String { "\(error)\netcd logs:\n\(logs)" }
}

/// An etcd client configuration for orderer `name` of `cluster`.
func etcdConfiguration(_ cluster: LocalEtcdCluster, name: String) throws -> EtcdConfiguration {
    let files = try cluster.tls.clientFiles(name)
    return EtcdConfiguration(
        endpoints: cluster.clientEndpoints, trustRootPath: cluster.tls.caCertificate.path,
        certificatePath: files.certificate.path, keyPath: files.key.path, callTimeout: .seconds(2))
}

/// One organisation with two orderer identities and a clinician, and the genesis block of
/// channel "ehr" naming it.
struct OrderingFixture {
    let ca: OrganizationCA
    let orderers: [RequestSigner]
    let clinician: RequestSigner
    let genesis: Medledger_V1_Block

    init() throws {
        let ca = OrganizationCA(authority: try CertificateAuthority.create(mspID: "HospitalAMSP", name: "HospitalA CA"), store: try RegistrationStore(path: nil))
        self.ca = ca
        let orderers = try (0..<3).map { try ca.enrollSigner(enrollmentID: "orderer\($0)", role: .orderer).signer }
        self.orderers = orderers
        clinician = try ca.enrollSigner(enrollmentID: "dr.a", role: .clinician).signer
        var config = Medledger_V1_ChannelConfig()
        config.channelID = "ehr"
        config.organizations = [try ca.channelOrganization()]
        config.defaultEndorsementPolicy = .anyOf([.signedBy("HospitalAMSP", role: .peer)])
        config.adminPolicy = .anyOf([.signedBy("HospitalAMSP", role: .admin)])
        var batch = Medledger_V1_BatchParameters()
        batch.maxMessageCount = 10
        batch.batchTimeoutMillis = 20
        config.batch = batch
        genesis = try BlockAssembly.genesis(config: config, orderer: orderers[0], now: Date())
    }

    /// A transaction envelope signed by the clinician (the orderer checks the creator's signature,
    /// not the endorsements: peers validate those).
    func envelope(_ label: String) throws -> Data {
        var proposal = Medledger_V1_Proposal()
        proposal.channelID = "ehr"
        proposal.chaincodeName = "asset"
        var input = Medledger_V1_ChaincodeInput()
        input.function = "Put"
        input.args = [Data(label.utf8)]
        proposal.input = input
        proposal.nonce = Data((0..<24).map { _ in UInt8.random(in: 0...255) })
        proposal.creator = clinician.certificateDER
        proposal.txID = TransactionID.compute(nonce: proposal.nonce, creator: proposal.creator)
        proposal.timestamp = Medledger_V1_Timestamp(date: Date())
        var endorsed = Medledger_V1_EndorserTransaction()
        endorsed.proposal = proposal
        var transaction = Medledger_V1_Transaction()
        transaction.body = .endorserTransaction(endorsed)
        return try clinician.envelope(transaction).serializedData()
    }
}
