import Foundation
import Identity
import Schema
import Wire
import EHRModel

/// Backend services of research organisations (SMART Backend Services): `RegisterBackendClient`,
/// `RevokeBackendClient`, `GetBackendClient`. A registration is a transaction, so every node knows
/// the client's public keys and studies, and each change is on the audited chain.
extension EHRContract {
    /// The most keys one client may register (rotation needs two; a few more are harmless).
    static let maximumClientKeys = 8

    /// RegisterBackendClient {clientID, name, jwks, studies} → `BackendClient`; an admin of the
    /// organisation that requested every named study. Registering an existing client of the same
    /// organisation again replaces its keys and studies (key rotation) and lifts a revocation; a
    /// client ID of another organisation is a 409.
    static func registerBackendClient(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(RegisterBackendClientRequest.self, stub)
        try requireRole([.admin], stub, to: "register a backend client")
        try validateIdentifier(request.clientID, field: "clientID")
        try validateNonEmpty(request.name, field: "name")
        guard !request.studies.isEmpty else {
            throw rejected(400, "field \"studies\" must name at least one study the client may export")
        }
        for studyID in request.studies {
            let study = try existingStudy(studyID, stub)
            guard study.mspID == stub.creator.mspID else {
                throw rejected(403, "\(who(stub)) may not register a client for study \(studyID): it was requested by \(study.mspID)")
            }
        }
        let keys = try validatedKeys(request.jwks)
        let key = try EHRKey.make(EHRKey.backendClient, request.clientID)
        if let existing = try load(BackendClient.self, at: key, stub), existing.mspID != stub.creator.mspID {
            throw rejected(409, "client ID \(request.clientID) is registered by \(existing.mspID)")
        }
        let client = BackendClient(
            clientID: request.clientID, mspID: stub.creator.mspID, name: request.name, keys: keys,
            studies: Array(Set(request.studies)).sorted(), registeredBy: stub.creator.enrollmentID, registeredAt: now(stub))
        try store(client, at: key, stub)
        return try respond(client)
    }

    /// RevokeBackendClient {clientID} → `BackendClient` (revoked); an admin of its organisation.
    static func revokeBackendClient(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(ClientIDRequest.self, stub)
        try requireRole([.admin], stub, to: "revoke a backend client")
        var client = try existingBackendClient(request.clientID, stub)
        guard client.mspID == stub.creator.mspID else {
            throw rejected(403, "\(who(stub)) may not revoke client \(client.clientID): it belongs to \(client.mspID)")
        }
        guard client.revokedAt == nil else { throw rejected(409, "client \(client.clientID) is already revoked") }
        client.revokedAt = now(stub)
        try store(client, at: try EHRKey.make(EHRKey.backendClient, client.clientID), stub)
        return try respond(client)
    }

    /// GetBackendClient {clientID} → `BackendClient`; any member (it holds public keys and study IDs only).
    static func getBackendClient(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let request = try request(ClientIDRequest.self, stub)
        return try respond(try existingBackendClient(request.clientID, stub))
    }

    static func existingBackendClient(_ clientID: String, _ stub: ChaincodeStub) throws -> BackendClient {
        try validateIdentifier(clientID, field: "clientID")
        guard let client = try load(BackendClient.self, at: try EHRKey.make(EHRKey.backendClient, clientID), stub) else {
            throw rejected(404, "no backend client \(clientID) is registered")
        }
        return client
    }

    /// The reader a backend client exports as, if `reader` names one that may export `study`:
    /// registered by the study's organisation, not revoked, and given the study. 403 otherwise.
    static func requireBackendClient(_ reader: Reader, mayExport study: AccessRequest, _ stub: ChaincodeStub) throws {
        let client = try existingBackendClient(reader.enrollmentID, stub)
        guard client.revokedAt == nil else { throw rejected(403, "backend client \(client.clientID) is revoked") }
        guard client.mspID == study.mspID, reader.mspID == study.mspID else {
            throw rejected(403, "backend client \(client.clientID) of \(client.mspID) may not export study \(study.studyID) of \(study.mspID)")
        }
        guard client.studies.contains(study.studyID) else {
            throw rejected(403, "backend client \(client.clientID) is not registered for study \(study.studyID)")
        }
    }

    /// The set's keys, public members only, after checking each: no private member, a kid unique
    /// in the set, an EC key on P-256/P-384 or an RSA key of at least 2048 bits, `use` "sig" and
    /// an `alg` SMART accepts when given.
    static func validatedKeys(_ set: BackendClientKeySet) throws -> [BackendClientKey] {
        guard (1...maximumClientKeys).contains(set.keys.count) else {
            throw rejected(400, "field \"jwks\" must hold 1 to \(maximumClientKeys) keys; it holds \(set.keys.count)")
        }
        var kids = Set<String>()
        for (index, key) in set.keys.enumerated() {
            let name = "jwks.keys[\(index)]"
            guard key.privateMembers.isEmpty else {
                throw rejected(
                    400,
                    "\(name) is a private key (it has \(key.privateMembers.joined(separator: ", "))): register the public JWK Set only; the private key stays with the client")
            }
            try validateIdentifier(key.kid, field: "\(name).kid")
            guard kids.insert(key.kid).inserted else { throw rejected(400, "\(name).kid \(key.kid) appears twice in the set") }
            if let use = key.use, use != "sig" { throw rejected(400, "\(name).use must be \"sig\", not \(QuotedInput.quote(use))") }
            if let alg = key.alg, !BackendClientKey.acceptedAlgorithms.contains(alg) {
                throw rejected(400, "\(name).alg \(QuotedInput.quote(alg)) is not one of ES256, ES384, RS384")
            }
            try validateKeyMaterial(key, name: name)
            guard !key.algorithms.isEmpty else {
                throw rejected(400, "\(name).alg \(key.alg ?? "") does not fit a \(key.kty) key\(key.crv.map { " on \($0)" } ?? "")")
            }
        }
        return set.keys.map(\.publicOnly)
    }

    private static func validateKeyMaterial(_ key: BackendClientKey, name: String) throws {
        switch key.kty {
        case "EC":
            let size: Int
            switch key.crv {
            case "P-256": size = 32
            case "P-384": size = 48
            default: throw rejected(400, "\(name).crv must be P-256 or P-384, not \(QuotedInput.quote(key.crv ?? "(missing)"))")
            }
            for (member, value) in [("x", key.x), ("y", key.y)] {
                guard let bytes = base64URLDecoded(value), bytes.count == size else {
                    throw rejected(400, "\(name).\(member) must be the \(size)-byte coordinate in base64url")
                }
            }
        case "RSA":
            guard let modulus = base64URLDecoded(key.n), modulus.drop(while: { $0 == 0 }).count >= 256 else {
                throw rejected(400, "\(name).n must be an RSA modulus of at least 2048 bits in base64url")
            }
            guard let exponent = base64URLDecoded(key.e), (1...8).contains(exponent.count) else {
                throw rejected(400, "\(name).e must be the RSA public exponent in base64url")
            }
        default:
            throw rejected(400, "\(name).kty must be EC or RSA, not \(QuotedInput.quote(key.kty))")
        }
    }

    /// Unpadded base64url (RFC 7515 §2) decoded; nil for anything else, or nothing.
    static func base64URLDecoded(_ text: String?) -> [UInt8]? {
        guard let text, !text.isEmpty else { return nil }
        return Base64URL.decode(text).map { [UInt8]($0) }
    }
}
