import EHRModel
import Foundation
import GRPCNIOTransportHTTP2
@testable import MedLedgerKit
import Testing

/// What the SDK sends the `ehr` contract, without a network: the contract's own request types,
/// encoded as the contract reads them, and codes checked before anything leaves.
@Suite("HealthRecords builds the contract's requests")
struct HealthRecordsRequestTests {
    typealias Records = HealthRecords<HTTP2ClientTransport.Posix>

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func purposeCodesAreCheckedBeforeAnythingIsSent() throws {
        #expect(try Records.purpose("TREAT") == .treatment)
        #expect(try Records.purpose("ETREAT") == .emergencyTreatment)
        #expect(throws: HealthRecordsError.self) { try Records.purpose("SNOOP") }
        #expect(throws: HealthRecordsError.self) { try Records.purpose("treat") }
    }

    @Test func requestsEncodeWithTheFieldsTheContractAccepts() throws {
        let open = try Self.object(try Records.json(OpenRecordRequest(recordID: "r-1", purpose: .emergencyTreatment, justification: "unconscious")))
        #expect(open["recordID"] as? String == "r-1" && open["purpose"] as? String == "ETREAT" && open["justification"] as? String == "unconscious")
        #expect(Set(open.keys).isSubset(of: Set(OpenRecordRequest.Field.allCases.map(\.stringValue))))
        // Absent optionals are left out, not sent as null (the contract refuses null).
        let plain = try Self.object(try Records.json(OpenRecordRequest(recordID: "r-1", purpose: .treatment)))
        #expect(plain["justification"] == nil)
        #expect(try Records.json(NoFieldsRequest()) == "{}")
        let respond = try Self.object(try Records.json(RespondRequest(studyID: "S", patientID: "P-1", decision: .declined)))
        #expect(respond["decision"] as? String == "declined")
    }
}
