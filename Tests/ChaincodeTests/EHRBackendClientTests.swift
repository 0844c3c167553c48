import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing
import EHRModel

/// Backend clients (SMART Backend Services) as the EHR contract registers them and lets them
/// export: public keys only, studies of the admin's own organisation, revocation that bites.
@Suite("EHRContract: backend clients")
struct EHRBackendClientTests {
    let ledger: EHRLedger
    let t0 = EHRLedger.start

    /// RFC 7517 appendix A.1's public keys: an EC P-256 key and a 2048-bit RSA key.
    static let ecKey = #"{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"sig","kid":"ec-1"}"#
    static let rsaKey = #"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS384","kid":"rsa-1"}"#

    init() throws {
        ledger = try EHRLedger()
        try ledger.register("pt-ann", Cast.pat)
        try ledger.addRecord("rec-ann-lab", of: "pt-ann", category: "lab")
        _ = try ledger.value(
            AccessRequest.self, "RequestAccess", #"{"studyID":"s-1","purpose":"HRESCH","categories":[],"description":"HbA1c"}"#, as: Cast.rosa)
        _ = try ledger.call("RespondToAccessRequest", #"{"studyID":"s-1","patientID":"pt-ann","decision":"approved"}"#, as: Cast.pat)
    }

    func register(_ clientID: String = "bulk-1", keys: String = "\(Self.ecKey),\(Self.rsaKey)", studies: String = #"["s-1"]"#, as admin: Identity = Cast.percy)
        throws -> SimulationResult
    {
        try ledger.call(
            "RegisterBackendClient", #"{"clientID":"\#(clientID)","name":"Pharma ETL","jwks":{"keys":[\#(keys)]},"studies":\#(studies)}"#, as: admin)
    }

    func studyRecords(asClient clientID: String) throws -> SimulationResult {
        let argument = #"{"studyID":"s-1","researcher":{"mspID":"PharmaMSP","enrollmentID":"\#(clientID)","role":"backend-client"}}"#
        return try ledger.call("StudyRecords", argument, as: Cast.pharmaPeer, at: t0 + 10)
    }

    @Test("An admin registers public keys for a study of their organisation; the client exports as the audited reader")
    func registerAndExport() throws {
        let registered = try register()
        #expect(registered.response.status == 200, "\(registered.response.message)")
        let client = try JSONDecoder().decode(BackendClient.self, from: registered.response.payload)
        #expect(client.mspID == "PharmaMSP" && client.studies == ["s-1"] && client.registeredBy == "percy")
        #expect(client.keys.map(\.algorithms) == [["ES256"], ["RS384"]])
        let export = try studyRecords(asClient: "bulk-1")
        #expect(export.response.status == 200, "\(export.response.message)")
        let study = try JSONDecoder().decode(StudyExport.self, from: export.response.payload)
        #expect(study.patients.map(\.patientID) == ["pt-ann"])
        let audit = try ledger.value([AuditEvent].self, "ListAudit", #"{"patientID":"pt-ann"}"#, as: Cast.pat)
        #expect(audit.contains { $0.action == "export" && $0.reader == Reader(mspID: "PharmaMSP", enrollmentID: "bulk-1", role: "backend-client") })
    }

    @Test("Private keys, foreign studies, bad key material and other roles are refused, naming what is wrong")
    func refusals() throws {
        let privateKey = Self.ecKey.replacingOccurrences(of: #""kid":"ec-1""#, with: #""kid":"ec-1","d":"870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE""#)
        let cases: [(String, SimulationResult, Int32, String)] = [
            ("private key", try register(keys: privateKey), 400, "is a private key (it has d)"),
            ("foreign study", try register(studies: #"["s-1","s-9"]"#), 404, "no access request for study s-9"),
            ("not an admin", try register(as: Cast.rosa), 403, "only a admin may"),
            ("wrong curve", try register(keys: Self.ecKey.replacingOccurrences(of: "P-256", with: "P-521")), 400, "crv must be P-256 or P-384"),
            ("short x", try register(keys: Self.ecKey.replacingOccurrences(of: "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4", with: "MKBC")), 400, "x must be the 32-byte"),
            ("alg misfit", try register(keys: Self.rsaKey.replacingOccurrences(of: "RS384", with: "ES384")), 400, "does not fit a RSA key"),
            ("unaccepted alg", try register(keys: Self.rsaKey.replacingOccurrences(of: "RS384", with: "RS256")), 400, "is not one of ES256, ES384, RS384"),
            ("duplicate kid", try register(keys: "\(Self.ecKey),\(Self.ecKey)"), 400, "appears twice"),
            ("no studies", try register(studies: "[]"), 400, "at least one study"),
        ]
        for (name, result, status, message) in cases {
            #expect(result.response.status == status && result.response.message.contains(message), "\(name): \(result.response.status) \(result.response.message)")
        }
        // Another organisation's admin cannot take over the client ID, nor register for Pharma's study.
        #expect(try register().response.status == 200)
        let takeover = try register(as: Cast.ada)
        #expect(takeover.response.status == 403 && takeover.response.message.contains("it was requested by PharmaMSP"), "\(takeover.response.message)")
    }

    @Test("A revoked or unregistered client, or one registered for other studies, exports nothing")
    func revokedClientsExportNothing() throws {
        #expect(try register().response.status == 200)
        #expect(try studyRecords(asClient: "nobody").response.status == 404)
        let revoked = try ledger.call("RevokeBackendClient", #"{"clientID":"bulk-1"}"#, as: Cast.percy)
        #expect(revoked.response.status == 200, "\(revoked.response.message)")
        let refused = try studyRecords(asClient: "bulk-1")
        #expect(refused.response.status == 403 && refused.response.message.contains("backend client bulk-1 is revoked"), "\(refused.response.message)")
        let again = try ledger.call("RevokeBackendClient", #"{"clientID":"bulk-1"}"#, as: Cast.percy)
        #expect(again.response.status == 409)
        // Registering again (a key rotation) lifts the revocation.
        #expect(try register(keys: Self.rsaKey).response.status == 200)
        #expect(try studyRecords(asClient: "bulk-1").response.status == 200)
    }
}
