import Chaincode
import Foundation
import Identity
import CertificateAuthority
import LedgerCore
import Schema
import EHRModel

/// The EHR cast: real identities from one throwaway CA per organisation, so that a patient and
/// their hospital's staff share an issuer as they would in a deployment.
extension TestIdentities {
    static let hospitalAStaff = organization(
        "HospitalAMSP",
        [("alice", .clinician), ("ada", .admin), ("pat", .patient), ("paula", .patient), ("pia", .patient), ("rhea", .researcher),
         ("hospital-a-peer", .peer)]
    )
    static let hospitalBStaff = organization("HospitalBMSP", [("bob", .clinician), ("ben", .clinician), ("bea", .admin), ("bill", .patient)])
    static let pharma = organization("PharmaMSP", [("rosa", .researcher), ("percy", .admin), ("pharma-peer", .peer)])
    static let regulator = organization("RegulatorMSP", [("audrey", .auditor)])

    private static func organization(_ mspID: String, _ members: [(String, Medledger_V1_Role)]) -> [String: Identity] {
        do {
            let ca = OrganizationCA(
                authority: try CertificateAuthority.create(mspID: mspID, name: "\(mspID) CA"),
                store: try RegistrationStore(path: nil)
            )
            let membership = try ca.membership()
            var identities: [String: Identity] = [:]
            for (enrollmentID, role) in members {
                let certificate = try ca.enrollSigner(enrollmentID: enrollmentID, role: role).certificate
                identities[enrollmentID] = try membership.validate(certificate, at: Date())
            }
            return identities
        } catch {
            fatalError("cannot make the test organisation \(mspID): \(error)")
        }
    }
}

/// Shortcuts to the EHR cast by name.
enum Cast {
    static var alice: Identity { TestIdentities.hospitalAStaff["alice"]! }
    static var ada: Identity { TestIdentities.hospitalAStaff["ada"]! }
    static var pat: Identity { TestIdentities.hospitalAStaff["pat"]! }
    static var paula: Identity { TestIdentities.hospitalAStaff["paula"]! }
    static var pia: Identity { TestIdentities.hospitalAStaff["pia"]! }
    static var rhea: Identity { TestIdentities.hospitalAStaff["rhea"]! }
    static var bob: Identity { TestIdentities.hospitalBStaff["bob"]! }
    static var ben: Identity { TestIdentities.hospitalBStaff["ben"]! }
    static var bea: Identity { TestIdentities.hospitalBStaff["bea"]! }
    static var bill: Identity { TestIdentities.hospitalBStaff["bill"]! }
    static var rosa: Identity { TestIdentities.pharma["rosa"]! }
    static var pharmaPeer: Identity { TestIdentities.pharma["pharma-peer"]! }
    static var percy: Identity { TestIdentities.pharma["percy"]! }
    static var hospitalAPeer: Identity { TestIdentities.hospitalAStaff["hospital-a-peer"]! }
    static var audrey: Identity { TestIdentities.regulator["audrey"]! }

    /// Base64 DER of an identity's certificate, as `RegisterPatient` takes it.
    static func certificate(_ identity: Identity) -> String {
        (try? Data(identity.certificate.derBytes).base64EncodedString()) ?? ""
    }
}

/// An EHR ledger on in-memory state: each call is simulated as one identity at one time and,
/// when it succeeds, committed as its own block.
final class EHRLedger {
    static let start: Int64 = 1_700_000_000
    let state = InMemoryState()
    let dispatcher: ChaincodeDispatcher
    private var transactions = 0

    init(breakGlassDuration: Int64 = 4 * 3600) throws {
        dispatcher = try ChaincodeDispatcher(contracts: [AssetContract(), EHRContract(breakGlassDuration: breakGlassDuration)])
    }

    /// Simulates `function` with the one JSON argument `json`; commits it if it succeeded and
    /// `commit` is true. Transaction IDs are tx-1, tx-2… in call order.
    @discardableResult
    func call(_ function: String, _ json: String, as identity: Identity, at seconds: Int64 = EHRLedger.start, commit: Bool = true)
        throws -> SimulationResult
    {
        try call(function, args: [json], as: identity, at: seconds, commit: commit)
    }

    @discardableResult
    func call(_ function: String, args: [String], as identity: Identity, at seconds: Int64 = EHRLedger.start, commit: Bool = true)
        throws -> SimulationResult
    {
        transactions += 1
        let txID = "tx-\(transactions)"
        var request = proposal("ehr", function, args, txID: txID)
        request.timestamp = timestamp(seconds)
        let result = try dispatcher.simulate(proposal: request, creator: identity, state: state)
        if commit, result.response.isSuccess {
            try state.commit(result, txID: txID, seconds: seconds)
        }
        return result
    }

    /// Calls and decodes a successful response as `Value`; throws with the response's message otherwise.
    func value<Value: Decodable>(
        _ type: Value.Type, _ function: String, _ json: String, as identity: Identity, at seconds: Int64 = EHRLedger.start
    ) throws -> Value {
        let result = try call(function, json, as: identity, at: seconds)
        guard result.response.status == 200 else {
            throw EHRTestFailure(message: "\(function) answered \(result.response.status): \(result.response.message)")
        }
        return try JSONDecoder().decode(type, from: result.response.payload)
    }

    // MARK: - Common steps

    @discardableResult
    func register(_ patientID: String, _ patient: Identity, by registrar: Identity = Cast.alice) throws -> Patient {
        try value(
            Patient.self, "RegisterPatient", #"{"patientID":"\#(patientID)","certificate":"\#(Cast.certificate(patient))"}"#,
            as: registrar
        )
    }

    @discardableResult
    func addRecord(
        _ recordID: String, of patientID: String, category: String = "lab", by author: Identity = Cast.alice,
        previous: String? = nil, at seconds: Int64 = EHRLedger.start
    ) throws -> RecordReference {
        let previousField = previous.map { #","previousRecordID":"\#($0)""# } ?? ""
        let json = """
            {"recordID":"\(recordID)","patientID":"\(patientID)","cid":"bafy-\(recordID)",\
            "plaintextSHA256":"\(digest("a"))","resourceType":"Observation","category":"\(category)",\
            "keyDigests":{"patient":"\(digest("b"))","author":"\(digest("c"))","home":"\(digest("d"))"}\(previousField)}
            """
        return try value(RecordReference.self, "AddRecord", json, as: author, at: seconds)
    }

    func open(_ recordID: String, purpose: String = "TREAT", justification: String? = nil, as reader: Identity, at seconds: Int64 = EHRLedger.start)
        throws -> OpenRecordResult
    {
        let justificationField = justification.map { #","justification":"\#($0)""# } ?? ""
        return try value(
            OpenRecordResult.self, "OpenRecord", #"{"recordID":"\#(recordID)","purpose":"\#(purpose)"\#(justificationField)}"#,
            as: reader, at: seconds
        )
    }

    func digest(_ character: Character) -> String {
        String(repeating: character, count: 64)
    }
}

struct EHRTestFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
