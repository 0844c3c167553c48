import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import EHRModel

/// Who receives the `ehr` contract's events on ChaincodeEvents: each names a patient or a CID, so
/// the contract decides, against committed state.
@Suite("EHRContract: who receives its events")
struct EHREventAudienceTests {
    let ledger: EHRLedger
    let contract = EHRContract()
    let t0 = EHRLedger.start

    init() throws {
        ledger = try EHRLedger()
        try ledger.register("p-1", Cast.pat)
        try ledger.register("p-2", Cast.paula)
        try ledger.addRecord("r-1", of: "p-1")
    }

    func receivers(of event: Medledger_V1_ChaincodeEvent, among cast: [String: Identity]) -> [String] {
        cast.filter { contract.mayReceive(event, caller: $0.value, state: ledger.state) }.keys.sorted()
    }

    static let everyone: [String: Identity] = [
        "pat (the patient)": Cast.pat, "paula (another patient)": Cast.paula, "alice (clinician)": Cast.alice,
        "ada (admin, patient's org)": Cast.ada, "hospital-a-peer": Cast.hospitalAPeer, "bob (the reader)": Cast.bob,
        "bea (admin, other org)": Cast.bea, "rosa (researcher)": Cast.rosa, "pharma-peer": Cast.pharmaPeer,
        "audrey (auditor, other org)": Cast.audrey,
    ]

    @Test func aBreakGlassNoticeReachesThePatientAndTheOperatorsOfThePatientsOrganisationOnly() throws {
        let call = try ledger.call(
            "OpenRecord", #"{"recordID":"r-1","purpose":"ETREAT","justification":"unconscious in ER"}"#, as: Cast.bob, at: t0 + 100)
        let event = try #require(call.event)
        #expect(event.eventName == "BreakGlass")
        #expect(receivers(of: event, among: Self.everyone) == ["ada (admin, patient's org)", "hospital-a-peer", "pat (the patient)"])
    }

    @Test func anErasureNoticeReachesPeersAdminsAndAuditorsOnly() throws {
        let erase = #"{"recordID":"r-1"}"#
        _ = try ledger.value(ErasureRequest.self, "RequestErasure", erase, as: Cast.pat, at: t0 + 5)
        let approved = try ledger.call("ApproveErasure", erase, as: Cast.ada, at: t0 + 10)
        let event = try #require(approved.event)
        #expect(event.eventName == "RecordErased")
        #expect(
            receivers(of: event, among: Self.everyone) == [
                "ada (admin, patient's org)", "audrey (auditor, other org)", "bea (admin, other org)", "hospital-a-peer", "pharma-peer",
            ])
    }

    @Test func anEventThisContractDoesNotKnowReachesNobody() {
        var event = Medledger_V1_ChaincodeEvent()
        event.chaincodeName = "ehr"
        event.eventName = "SomethingElse"
        #expect(receivers(of: event, among: Self.everyone).isEmpty)
    }
}
