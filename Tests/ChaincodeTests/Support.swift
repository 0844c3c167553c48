import Chaincode
import Foundation
import Identity
import CertificateAuthority
import LedgerCore
import Schema

/// Real identities, issued by throwaway organisation CAs and accepted by `Membership`; made once.
enum TestIdentities {
    static let hospitalA = make(mspID: "HospitalAMSP", enrollmentID: "alice")
    static let hospitalB = make(mspID: "HospitalBMSP", enrollmentID: "bob")

    private static func make(mspID: String, enrollmentID: String) -> Identity {
        do {
            let ca = OrganizationCA(
                authority: try CertificateAuthority.create(mspID: mspID, name: "\(mspID) CA"),
                store: try RegistrationStore(path: nil)
            )
            let secret = try ca.register(enrollmentID: enrollmentID, role: .client)
            let csr = try IdentityFolder.makeCSR(commonName: enrollmentID).csr
            let certificate = try ca.enroll(enrollmentID: enrollmentID, secret: secret, csr: csr)
            return try ca.membership().validate(certificate, at: Date())
        } catch {
            fatalError("cannot make the test identity \(enrollmentID)@\(mspID): \(error)")
        }
    }
}

/// A contract whose functions each test writes inline.
struct ScriptedContract: Contract {
    let name: String
    let functions: [String: ContractFunction]

    init(name: String = "script", _ functions: [String: ContractFunction]) {
        self.name = name
        self.functions = functions
    }
}

func version(_ block: UInt64, _ tx: UInt64) -> Medledger_V1_Version {
    var version = Medledger_V1_Version()
    version.blockNum = block
    version.txNum = tx
    return version
}

func timestamp(_ seconds: Int64) -> Medledger_V1_Timestamp {
    var timestamp = Medledger_V1_Timestamp()
    timestamp.seconds = seconds
    return timestamp
}

func proposal(
    _ contract: String, _ function: String, _ args: [String] = [], txID: String = "tx-1",
    transient: [String: Data] = [:]
) -> Medledger_V1_Proposal {
    var input = Medledger_V1_ChaincodeInput()
    input.function = function
    input.args = args.map { Data($0.utf8) }
    var proposal = Medledger_V1_Proposal()
    proposal.channelID = "ward"
    proposal.chaincodeName = contract
    proposal.input = input
    proposal.txID = txID
    proposal.timestamp = timestamp(1_700_000_000)
    proposal.transient = transient
    return proposal
}

extension InMemoryState {
    /// Commits `values` in `namespace` as one block (the next one), each key written by its own
    /// transaction in key order, so versions are (block, index).
    func seed(_ namespace: String, _ values: [String: String]) throws {
        let block = (lastAppliedBlock().map { $0 + 1 }) ?? 0
        let keys = values.keys.sorted(by: StateKeyOrder.precedes)
        let writes = keys.enumerated().map { index, key in
            StateUpdate.Write(
                namespace: namespace, key: key, value: Data(values[key]!.utf8), version: version(block, UInt64(index)),
                txID: "seed-\(block)-\(index)", timestamp: timestamp(1_600_000_000 + Int64(block))
            )
        }
        try apply(StateUpdate(blockNumber: block, writes: writes))
    }

    /// Commits a successful simulation's writes as the only transaction of the next block, as the
    /// validator would after finding it valid.
    func commit(_ result: SimulationResult, txID: String, seconds: Int64 = 1_700_000_000) throws {
        let block = (lastAppliedBlock().map { $0 + 1 }) ?? 0
        let writes = result.readWriteSets.flatMap { set in
            set.writes.map { write in
                StateUpdate.Write(
                    namespace: set.namespace, key: write.key, value: write.isDelete ? nil : write.value,
                    version: version(block, 0), txID: txID, timestamp: timestamp(seconds)
                )
            }
        }
        let location = TransactionLocation(blockNumber: block, position: 0, code: .valid)
        try apply(StateUpdate(blockNumber: block, writes: writes, transactions: [.init(txID: txID, location: location)]))
    }
}

extension Medledger_V1_Response {
    var text: String { String(decoding: payload, as: UTF8.self) }
}

func bytes(_ string: String) -> Data {
    Data(string.utf8)
}
