import Chaincode
import Foundation
import Identity
import Schema
import Testing
import EHRModel

@Suite("EHRContract: ListPatients, by the caller's role and organisation")
struct EHRListPatientsTests {
    let ledger: EHRLedger

    /// Patients of two organisations, registered out of ID order: HospitalA's p-b, p-a and p-c,
    /// HospitalB's p-0.
    init() throws {
        ledger = try EHRLedger()
        try ledger.register("p-b", Cast.pat, by: Cast.alice)
        try ledger.register("p-0", Cast.bill, by: Cast.bob)
        try ledger.register("p-a", Cast.paula, by: Cast.ada)
        try ledger.register("p-c", Cast.pia, by: Cast.alice)
    }

    func listed(as caller: Identity) throws -> [Patient] {
        try ledger.value([Patient].self, "ListPatients", "{}", as: caller)
    }

    @Test("Clinicians and admins see their own organisation's patients, in patient ID order")
    func ownOrganisation() throws {
        for caller in [Cast.alice, Cast.ada] {
            let patients = try listed(as: caller)
            #expect(patients.map(\.patientID) == ["p-a", "p-b", "p-c"])
            #expect(patients.allSatisfy { $0.mspID == "HospitalAMSP" })
        }
        #expect(try listed(as: Cast.alice).first == Patient(
            patientID: "p-a", mspID: "HospitalAMSP", enrollmentID: "paula", certificate: Cast.certificate(Cast.paula),
            registeredBy: "ada", registeredAt: EHRLedger.start
        ))
        for caller in [Cast.bob, Cast.bea] {
            #expect(try listed(as: caller).map(\.patientID) == ["p-0"])
        }
    }

    @Test("Auditors see every organisation's patients, in patient ID order")
    func auditor() throws {
        let patients = try listed(as: Cast.audrey)
        #expect(patients.map(\.patientID) == ["p-0", "p-a", "p-b", "p-c"])
        #expect(patients.map(\.mspID) == ["HospitalBMSP", "HospitalAMSP", "HospitalAMSP", "HospitalAMSP"])
    }

    @Test("Admins of an organisation without patients get an empty list")
    func noPatients() throws {
        #expect(try listed(as: Cast.percy).isEmpty)
    }

    @Test("Anyone else is refused with 403 naming their role and the roles that may list")
    func refused() throws {
        let callers: [(Identity, String)] = [
            (Cast.rhea, "researcher rhea@HospitalAMSP"),
            (Cast.rosa, "researcher rosa@PharmaMSP"), (Cast.hospitalAPeer, "peer hospital-a-peer@HospitalAMSP"),
            (TestIdentities.hospitalA, "client alice@HospitalAMSP"),
        ]
        for (caller, who) in callers {
            let response = try ledger.call("ListPatients", "{}", as: caller, commit: false).response
            #expect(response.status == 403)
            #expect(response.message.contains("\(who) may not list patients"))
            #expect(response.message.contains("admin or auditor or clinician or patient"))
        }
    }

    @Test("A patient gets their own entry only: how a patient's app learns its pseudonymous ID")
    func patientSeesOwnEntry() throws {
        #expect(try listed(as: Cast.pat).map(\.patientID) == ["p-b"])
        #expect(try listed(as: Cast.paula).map(\.patientID) == ["p-a"])
        #expect(try listed(as: Cast.bill).map(\.patientID) == ["p-0"])
    }

    @Test("ListPatients takes an empty object, writes nothing and reads only the caller's organisation")
    func argumentAndReadOnly() throws {
        let extra = try ledger.call("ListPatients", #"{"patientID":"p-a"}"#, as: Cast.alice, commit: false).response
        #expect(extra.status == 400 && extra.message.contains(#"no field "patientID""#))
        let result = try ledger.call("ListPatients", "{}", as: Cast.alice, commit: false)
        #expect(result.response.status == 200)
        let set = try #require(result.readWriteSet)
        #expect(set.writes.isEmpty)
        // A clinician's listing reads their own organisation's entries, not HospitalB's.
        #expect(Set(set.reads.map(\.key)) == Set(try ["p-a", "p-b", "p-c"].map(EHRContract.patientKey)))
    }
}
