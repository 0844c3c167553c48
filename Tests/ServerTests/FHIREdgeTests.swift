import Crypto
import EHRModel
import Foundation
import Identity
import JWTKit
import MedLedgerTesting
@testable import Server
import Testing

/// The pure parts of the FHIR Bulk Data edge: client assertion checks (including the JOSE
/// attacks a hand-written verifier falls for), SMART scopes, the token form, routes, and the
/// sealed export files.
@Suite("FHIR edge: client assertions, scopes, forms, routes, sealed files")
struct FHIREdgeTests {
    static let tokenURL = "https://127.0.0.1:8443/auth/token"

    struct Claims: JWTPayload {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int64
        var jti: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A client with one ES256 key, its verifier, and a way to sign assertions with that key.
    struct World {
        let key = ES256PrivateKey()
        let directory: TemporaryDirectory
        let verifier: ClientAssertionVerifier

        init() throws {
            directory = try TemporaryDirectory()
            let parameters = try #require(key.publicKey.parameters)
            let client = BackendClient(
                clientID: "etl", mspID: "PharmaMSP", name: "ETL",
                keys: [BackendClientKey(kty: "EC", kid: "k1", crv: "P-256", x: parameters.x, y: parameters.y)], studies: ["s-1"],
                registeredBy: "percy", registeredAt: 0)
            verifier = ClientAssertionVerifier(
                audiences: { [FHIREdgeTests.tokenURL] }, registration: { $0 == "etl" ? client : nil },
                replays: AssertionReplayGuard(path: directory.url.appendingPathComponent("jti.json").path))
        }

        func sign(_ claims: Claims, kid: String = "k1") async throws -> String {
            var header = JWTHeader()
            header.typ = "JWT"
            header.kid = kid
            return try await JWTKeyCollection().add(ecdsa: key).sign(claims, header: header)
        }

        func claims(iss: String = "etl", aud: String = FHIREdgeTests.tokenURL, expiresIn: Int64 = 240, jti: String = UUID().uuidString) -> Claims {
            Claims(iss: iss, sub: iss, aud: aud, exp: Int64(Date().timeIntervalSince1970) + expiresIn, jti: jti)
        }

        func refusal(_ assertion: String) async -> String? {
            do {
                _ = try await verifier.verify(assertion)
                return nil
            } catch {
                return error.description
            }
        }
    }

    @Test func aSignedAssertionIsAcceptedOnceAndEveryBrokenOneIsRefusedByName() async throws {
        let world = try World()
        defer { world.directory.remove() }
        let good = try await world.sign(world.claims())
        #expect(try await world.verifier.verify(good).clientID == "etl")
        #expect(await world.refusal(good)?.contains("jti was used before") == true)

        let cases: [(String, String, String)] = [
            ("expired", try await world.sign(world.claims(expiresIn: -120)), "expired"),
            ("too far", try await world.sign(world.claims(expiresIn: 3600)), "at most 300"),
            ("audience", try await world.sign(world.claims(aud: "https://elsewhere/token")), "is not this token endpoint"),
            ("unknown client", try await world.sign(world.claims(iss: "nobody")), "no backend client nobody"),
            ("unknown kid", try await world.sign(world.claims(), kid: "k9"), "registered no key with kid k9"),
        ]
        for (name, assertion, expected) in cases {
            let refusal = await world.refusal(assertion)
            #expect(refusal?.contains(expected) == true, "\(name): \(refusal ?? "accepted")")
        }

        // Forged: a signature by another key, alg none, and HS256 keyed with the public key.
        let forged = try await JWTKeyCollection().add(ecdsa: ES256PrivateKey()).sign(world.claims(), header: ["typ": "JWT", "kid": "k1"])
        #expect(await world.refusal(forged)?.contains("signature does not verify") == true)
        let parts = good.split(separator: ".")
        let none = Base64URL.encode(Data(#"{"alg":"none","typ":"JWT","kid":"k1"}"#.utf8)) + "." + parts[1] + "."
        #expect(await world.refusal(none)?.contains("alg must be ES384, RS384 or ES256") == true)
        let hmacHeader = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT","kid":"k1"}"#.utf8)) + "." + parts[1]
        let hmac = HMAC<SHA256>.authenticationCode(for: Data(hmacHeader.utf8), using: SymmetricKey(data: Data(world.key.publicKey.pemRepresentation.utf8)))
        #expect(await world.refusal(hmacHeader + "." + Base64URL.encode(Data(hmac)))?.contains("alg must be") == true)
        #expect(await world.refusal("not.a.jwt")?.contains("not a signed JWT") == true)
    }

    @Test func aReplayIsRefusedAfterARestartToo() async throws {
        let world = try World()
        defer { world.directory.remove() }
        let assertion = try await world.sign(world.claims(jti: "once"))
        _ = try await world.verifier.verify(assertion)
        let restarted = AssertionReplayGuard(path: world.directory.url.appendingPathComponent("jti.json").path)
        #expect(try restarted.accept(jti: "once", of: "etl", expires: Int64(Date().timeIntervalSince1970) + 60) == false)
        #expect(try restarted.accept(jti: "twice", of: "etl", expires: Int64(Date().timeIntervalSince1970) + 60))
    }

    @Test func onlyReadScopesOfExportedTypesAreGranted() {
        let exportable: Set = ["Observation", "Condition"]
        let scopes = ExportScopes(
            requested: "system/*.rs system/Observation.read patient/*.rs system/Condition.c system/Practitioner.rs system/*.rs?category=lab system/Observation.sr system/*.rs",
            exportable: exportable)
        #expect(scopes.granted == ["system/*.rs", "system/Observation.read"])
        #expect(scopes.resourceTypes == exportable)
        let narrow = ExportScopes(requested: "system/Condition.r", exportable: exportable)
        #expect(narrow.granted == ["system/Condition.r"] && narrow.resourceTypes == ["Condition"])
        #expect(ExportScopes(requested: "openid launch", exportable: exportable).granted.isEmpty)
    }

    @Test func theTokenFormDecodesAndARepeatedParameterCountsAsAbsent() {
        let form = FormBody("grant_type=client_credentials&scope=system%2F*.rs+system%2FObservation.rs&x=1&x=2&empty=")
        #expect(form["grant_type"] == "client_credentials")
        #expect(form["scope"] == "system/*.rs system/Observation.rs")
        #expect(form["x"] == nil && form["empty"] == "" && form["missing"] == nil)
    }

    @Test func routesAreRecognisedExactly() {
        #expect(FHIRRoute(path: "/fhir/Group/DM2/$export") == .export(study: "DM2"))
        #expect(FHIRRoute(path: "/fhir/bulkstatus/abc") == .status(job: "abc"))
        #expect(FHIRRoute(path: "/fhir/bulkfiles/abc/Observation.ndjson") == .file(job: "abc", name: "Observation.ndjson"))
        #expect(FHIRRoute(path: "/.well-known/smart-configuration") == .smartConfiguration)
        #expect(FHIRRoute(path: "/fhir/.well-known/smart-configuration") == .smartConfiguration)
        for unknown in ["/fhir/Group//$export", "/fhir/Group/x/$export/more", "/fhir/Patient/$export", "/auth/token/x", "/"] {
            #expect(FHIRRoute(path: unknown) == nil, "\(unknown)")
        }
    }

    @Test func exportFilesAreSealedAtRestAndReadBackWhole() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = SymmetricKey(size: .bits256)
        let path = directory.url.appendingPathComponent("Observation.ndjson").path
        let file = try SealedNDJSONFile(path: path, key: key)
        let lines = (0..<2000).map { Data(#"{"resourceType":"Observation","id":"obs-\#($0)","status":"final"}"#.utf8) }
        for line in lines { try file.append(line) }
        try file.finish()
        #expect(file.count == 2000)
        let stored = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(stored.range(of: Data("resourceType".utf8)) == nil && stored.range(of: Data("obs-1".utf8)) == nil)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        var plaintext = Data()
        try await SealedNDJSONFile.read(path, key: key) { plaintext.append($0) }
        #expect(plaintext == Data(lines.map { $0 + [0x0A] }.joined()))
        await #expect(throws: (any Error).self) { try await SealedNDJSONFile.read(path, key: SymmetricKey(size: .bits256)) { _ in } }
    }
}
