import Chaincode
import Foundation
import Identity
import CertificateAuthority
import LedgerCore
import Schema
import Testing
import EHRModel

@Suite("EHRContract: registering patients, adding and listing records, argument errors")
struct EHRPatientRecordTests {
    let ledger: EHRLedger

    init() throws {
        ledger = try EHRLedger()
    }

    func register(_ patientID: String, _ patient: Identity, by registrar: Identity) throws -> Medledger_V1_Response {
        try ledger.call(
            "RegisterPatient", #"{"patientID":"\#(patientID)","certificate":"\#(Cast.certificate(patient))"}"#, as: registrar
        ).response
    }

    @Test("RegisterPatient: clinician or admin of the patient's own organisation, a patient certificate, a fresh pseudonymous ID")
    func registration() throws {
        #expect(try register("p-1", Cast.pat, by: Cast.ada).status == 200)
        let taken = try register("p-1", Cast.paula, by: Cast.alice)
        #expect(taken.status == 409 && taken.message.contains("p-1"))
        let twice = try register("p-9", Cast.pat, by: Cast.alice)
        #expect(twice.status == 409 && twice.message.contains("already registered as patient p-1"))
        let otherOrg = try register("p-2", Cast.paula, by: Cast.bob)
        #expect(otherOrg.status == 403 && otherOrg.message.contains("HospitalBMSP"))
        let notPatient = try register("p-3", Cast.rhea, by: Cast.alice)
        #expect(notPatient.status == 400 && notPatient.message.contains("not patient"))
        #expect(try register("p-2", Cast.paula, by: Cast.pat).status == 403)
        #expect(try register("p-2", Cast.paula, by: Cast.rhea).status == 403)
        #expect(try register("Jane Doe", Cast.paula, by: Cast.alice).status == 400)
        #expect(try register(String(repeating: "x", count: 65), Cast.paula, by: Cast.alice).status == 400)
        let garbage = try ledger.call("RegisterPatient", #"{"patientID":"p-2","certificate":"bm90IGEgY2VydA=="}"#, as: Cast.alice)
        #expect(garbage.response.status == 400 && garbage.response.message.contains("certificate"))
        #expect(try ledger.call("RegisterPatient", #"{"patientID":"p-2","certificate":"%%%"}"#, as: Cast.alice).response.status == 400)
    }

    @Test("RegisterPatient refuses a patient certificate from another CA that uses the caller's organisation's name")
    func rogueIssuer() throws {
        let rogue = OrganizationCA(
            authority: try CertificateAuthority.create(mspID: "HospitalAMSP", name: "HospitalAMSP CA"),
            store: try RegistrationStore(path: nil)
        )
        let certificate = try rogue.enrollSigner(enrollmentID: "mallory", role: .patient).certificate
        let forged = try Data(certificate.derBytes).base64EncodedString()
        let response = try ledger.call("RegisterPatient", #"{"patientID":"p-x","certificate":"\#(forged)"}"#, as: Cast.alice).response
        #expect(response.status == 403)
        #expect(response.message.contains("issued by the caller's organisation HospitalAMSP"))
    }

    @Test("Simulating the same read twice gives the same bytes, and the read-set covers the consents range")
    func deterministic() throws {
        try ledger.register("p-1", Cast.pat)
        try ledger.addRecord("r-1", of: "p-1")
        let first = try ledger.call("OpenRecord", #"{"recordID":"r-1","purpose":"TREAT"}"#, as: Cast.bob, commit: false)
        let second = try ledger.call("OpenRecord", #"{"recordID":"r-1","purpose":"TREAT"}"#, as: Cast.bob, commit: false)
        #expect(first.response.payload == second.response.payload.replacing(Data("tx-4".utf8), with: Data("tx-3".utf8)))
        let set = try #require(first.readWriteSet)
        #expect(set.rangeQueries.count == 1)
        #expect(set.rangeQueries.first?.itrExhausted == true)
    }

    @Test("GetPatient: the patient, care staff and auditors; not other patients or researchers; 404 for an unknown patient")
    func getPatient() throws {
        try ledger.register("p-1", Cast.pat)
        for reader in [Cast.pat, Cast.alice, Cast.bob, Cast.bea, Cast.audrey] {
            #expect(try ledger.call("GetPatient", #"{"patientID":"p-1"}"#, as: reader).response.status == 200)
        }
        #expect(try ledger.call("GetPatient", #"{"patientID":"p-1"}"#, as: Cast.rosa).response.status == 403)
        #expect(try ledger.call("GetPatient", #"{"patientID":"p-1"}"#, as: Cast.rhea).response.status == 403)
        #expect(try ledger.call("GetPatient", #"{"patientID":"p-1"}"#, as: Cast.paula).response.status == 403)
        #expect(try ledger.call("GetPatient", #"{"patientID":"p-2"}"#, as: Cast.alice).response.status == 404)
    }

    @Test("AddRecord: clinicians only, unique IDs, existing patients, valid digests and key digests")
    func addRecord() throws {
        try ledger.register("p-1", Cast.pat)
        func add(_ json: String, as author: Identity = Cast.alice) throws -> Medledger_V1_Response {
            try ledger.call("AddRecord", json, as: author).response
        }
        let a = String(repeating: "a", count: 64)
        func record(_ id: String = "r-1", patient: String = "p-1", sha: String? = nil, cid: String = "bafy", digests: String? = nil) -> String {
            #"{"recordID":"\#(id)","patientID":"\#(patient)","cid":"\#(cid)","plaintextSHA256":"\#(sha ?? a)","resourceType":"Observation","category":"lab","keyDigests":\#(digests ?? #"{"patient":"\#(a)","author":"\#(a)"}"#)}"#
        }
        #expect(try add(record(), as: Cast.ada).status == 403)
        #expect(try add(record(), as: Cast.pat).status == 403)
        #expect(try add(record(patient: "p-2")).status == 404)
        let shortSHA = try add(record(sha: "abc"))
        #expect(shortSHA.status == 400 && shortSHA.message.contains("plaintextSHA256"))
        #expect(try add(record(sha: String(repeating: "g", count: 64))).status == 400)
        #expect(try add(record(cid: "")).status == 400)
        let noAuthorKey = try add(record(digests: #"{"patient":"\#(a)"}"#))
        #expect(noAuthorKey.status == 400 && noAuthorKey.message.contains("\"author\""))
        let badKey = try add(record(digests: #"{"patient":"\#(a)","author":"xyz"}"#))
        #expect(badKey.status == 400 && badKey.message.contains("keyDigests.author"))
        #expect(try add(record()).status == 200)
        #expect(try add(record(), as: Cast.bob).status == 409)
        // p-1's home is HospitalA: dr-bob of HospitalB must give HospitalA's node a copy of the key.
        let noHomeKey = try add(record("r-2"), as: Cast.bob)
        #expect(noHomeKey.status == 400 && noHomeKey.message.contains("\"home\"") && noHomeKey.message.contains("HospitalAMSP"), "\(noHomeKey.message)")
        let homeKey = try add(record("r-2", digests: #"{"patient":"\#(a)","author":"\#(a)","home":"\#(a)"}"#), as: Cast.bob)
        #expect(homeKey.status == 200)
        let badHomeKey = try add(record("r-3", digests: #"{"patient":"\#(a)","author":"\#(a)","home":"xyz"}"#), as: Cast.bob)
        #expect(badHomeKey.status == 400 && badHomeKey.message.contains("keyDigests.home"))
    }

    @Test("A correction is a new version that leaves the corrected record untouched")
    func correction() throws {
        try ledger.register("p-1", Cast.pat)
        try ledger.register("p-2", Cast.paula)
        let original = try ledger.addRecord("r-1", of: "p-1")
        let corrected = try ledger.addRecord("r-1b", of: "p-1", by: Cast.bob, previous: "r-1", at: EHRLedger.start + 60)
        #expect(corrected.version == 2 && corrected.previousRecordID == "r-1")
        #expect(corrected.authorMSP == "HospitalBMSP" && corrected.createdAt == EHRLedger.start + 60)
        let records = try ledger.value([RecordReference].self, "ListRecords", #"{"patientID":"p-1"}"#, as: Cast.pat)
        #expect(records == [original, corrected])
        #expect(throws: EHRTestFailure.self) { try ledger.addRecord("r-1c", of: "p-1", previous: "r-1") }
        #expect(throws: EHRTestFailure.self) { try ledger.addRecord("r-2", of: "p-2", previous: "r-1b") }
        #expect(throws: EHRTestFailure.self) { try ledger.addRecord("r-3", of: "p-1", previous: "r-missing") }
        #expect(try ledger.addRecord("r-1d", of: "p-1", previous: "r-1b").version == 3)
    }

    @Test("ListRecords: the patient, auditors and the patient's organisation see all; other authors see theirs; others nothing")
    func listRecords() throws {
        try ledger.register("p-1", Cast.pat)
        try ledger.addRecord("r-a", of: "p-1")
        try ledger.addRecord("r-b", of: "p-1", by: Cast.bob)
        func list(as reader: Identity) throws -> [String]? {
            let result = try ledger.call("ListRecords", #"{"patientID":"p-1"}"#, as: reader)
            guard result.response.status == 200 else { return nil }
            return try JSONDecoder().decode([RecordReference].self, from: result.response.payload).map(\.recordID)
        }
        #expect(try list(as: Cast.pat) == ["r-a", "r-b"])
        #expect(try list(as: Cast.audrey) == ["r-a", "r-b"])
        #expect(try list(as: Cast.alice) == ["r-a", "r-b"])
        #expect(try list(as: Cast.ada) == ["r-a", "r-b"])
        #expect(try list(as: Cast.bob) == ["r-b"])
        #expect(try list(as: Cast.bea) == ["r-b"])
        #expect(try list(as: Cast.paula) == nil)
        #expect(try list(as: Cast.rhea) == nil)
        #expect(try list(as: Cast.rosa) == nil)
    }

    @Test("Bad JSON, a missing field, a wrong type or an unknown field is a 400 naming it")
    func badArguments() throws {
        try ledger.register("p-1", Cast.pat)
        func message(_ function: String, _ json: String, as identity: Identity = Cast.alice) throws -> String {
            let response = try ledger.call(function, json, as: identity).response
            #expect(response.status == 400, "\(function) \(json): \(response.status) \(response.message)")
            return response.message
        }
        #expect(try message("GetPatient", "not json").contains("the argument of GetPatient is not valid JSON (invalid JSON at byte 0"))
        #expect(try message("GetPatient", "[1]").contains("must be a JSON object, not an array"))
        // A number JSON allows but the field cannot hold names the field, not the document.
        #expect(try message("GetPatient", #"{"patientID":"p-1","n":{"big":1e400}}"#).contains(#"field "n.big" must be a whole number"#))
        let period = #"{"patientID":"p-1","scope":"treatment","grantee":{"kind":"organization","mspID":"X"},"purposes":["TREAT"],"categories":[],"periodStart":"#
        #expect(try message("GrantConsent", period + "1e19}", as: Cast.pat).contains(#"field "periodStart" must be a whole number"#))
        #expect(try message("GrantConsent", period + "1.5}", as: Cast.pat).contains(#"field "periodStart" must be a whole number"#))
        // Input is quoted short: a 1 MiB ID does not come back as a 1 MiB message.
        let huge = String(repeating: "x", count: 1 << 20)
        let echoed = try message("GetPatient", #"{"patientID":"\#(huge)\u0000"}"#)
        #expect(echoed.utf8.count < 400 && echoed.contains("(1048577 bytes)"), "\(echoed.prefix(400))")
        #expect(try message("GetPatient", "{}").contains(#"field "patientID" is missing"#))
        #expect(try message("GetPatient", #"{"patientID":7}"#).contains(#"field "patientID" must be a string"#))
        #expect(try message("GetPatient", #"{"patientID":"p-1","extra":1}"#).contains(#"no field "extra""#))
        #expect(try message("OpenRecord", #"{"recordID":"r-1"}"#).contains(#"field "purpose" is missing"#))
        #expect(try message("OpenRecord", #"{"recordID":"r-1","purpose":"SNOOP"}"#).contains(#"field "purpose" has an invalid value"#))
        #expect(try message("AddRecord", #"{"recordID":"r-1","patientID":"p-1"}"#).contains(#"field "cid" is missing"#))
        #expect(try message("GrantConsent", #"{"patientID":"p-1","scope":"treatment","grantee":{"mspID":"X"},"purposes":["TREAT"],"categories":[]}"#, as: Cast.pat)
            .contains(#"field "grantee.kind" is missing"#))
        #expect(try message("GrantConsent", #"{"patientID":"p-1","scope":"treatment","grantee":{"kind":"organization","mspID":"X"},"purposes":["TREAT"],"categories":[],"provisions":[{"categories":[]}]}"#, as: Cast.pat)
            .contains(#"field "provisions[0].type" is missing"#))
        #expect(try message("ListAccessRequests", #"{"studyID":"s"}"#).contains(#"no field "studyID""#))
        let twoArguments = try ledger.call("GetPatient", args: [#"{"patientID":"p-1"}"#, "{}"], as: Cast.alice).response
        #expect(twoArguments.status == 400 && twoArguments.message.contains("one argument"))
    }
}
