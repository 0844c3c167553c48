public import EHRModel
public import Foundation

/// Backend services of a research organisation (SMART Backend Services for FHIR Bulk Data export).
extension HealthRecords {
    /// Registers (or re-registers, rotating its keys) backend client `clientID` with the public
    /// JWK Set `jwks` (JSON text) for `studies` — an admin of the organisation that requested them.
    /// A set holding a private key is refused here, before anything is sent.
    @discardableResult
    public func registerBackendClient(clientID: String, name: String, jwks: Data, studies: [String]) async throws -> BackendClient {
        let set: BackendClientKeySet
        do {
            set = try JSONDecoder().decode(BackendClientKeySet.self, from: jwks)
        } catch {
            throw BackendClientKeyError.notAKeySet("the JWK Set is not {\"keys\": [...]} of JWKs with kty and kid: \(error)")
        }
        if let key = set.keys.first(where: { !$0.privateMembers.isEmpty }) {
            throw BackendClientKeyError.privateKey(
                "key \(key.kid) of the JWK Set is a private key (\(key.privateMembers.joined(separator: ", "))): register the public keys only")
        }
        return try await submit(
            "RegisterBackendClient", RegisterBackendClientRequest(clientID: clientID, name: name, jwks: set, studies: studies)
        ).response
    }

    /// Revokes backend client `clientID`: it gets no token and exports nothing from then on.
    @discardableResult
    public func revokeBackendClient(_ clientID: String) async throws -> BackendClient {
        try await submit("RevokeBackendClient", ClientIDRequest(clientID: clientID)).response
    }

    /// Backend client `clientID` as registered.
    public func backendClient(_ clientID: String) async throws -> BackendClient {
        try await evaluate("GetBackendClient", ClientIDRequest(clientID: clientID))
    }
}

/// A JWK Set that cannot be registered.
public enum BackendClientKeyError: Error, CustomStringConvertible {
    case notAKeySet(String)
    case privateKey(String)

    public var description: String {
        switch self {
        case .notAKeySet(let why), .privateKey(let why): why
        }
    }
}
