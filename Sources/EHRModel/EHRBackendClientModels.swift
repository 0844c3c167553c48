/// One public key of a backend client's JWK Set (RFC 7517): an EC key on P-256 or P-384, or an
/// RSA key. The private members are read only so that a set holding one can be refused by name:
/// a private key must never reach the ledger, where every node would keep it for good.
public struct BackendClientKey: Codable, Sendable, Equatable {
    /// `EC` or `RSA`.
    public var kty: String
    /// The key's ID, unique in the set; a client assertion names it in its `kid` header.
    public var kid: String
    /// `ES256`, `ES384` or `RS384` when the set pins it.
    public var alg: String?
    /// `sig` when given.
    public var use: String?
    /// `P-256` or `P-384` for an EC key.
    public var crv: String?
    public var x: String?
    public var y: String?
    /// An RSA key's modulus and exponent.
    public var n: String?
    public var e: String?
    public var d: String?
    public var p: String?
    public var q: String?
    public var dp: String?
    public var dq: String?
    public var qi: String?
    public var k: String?

    public init(
        kty: String, kid: String, alg: String? = nil, use: String? = nil, crv: String? = nil, x: String? = nil, y: String? = nil,
        n: String? = nil, e: String? = nil
    ) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.use = use
        self.crv = crv
        self.x = x
        self.y = y
        self.n = n
        self.e = e
    }

    /// The names of the private (or symmetric) members this key carries.
    public var privateMembers: [String] {
        [("d", d), ("p", p), ("q", q), ("dp", dp), ("dq", dq), ("qi", qi), ("k", k)].compactMap { $0.1 == nil ? nil : $0.0 }
    }

    /// The key without any private member.
    public var publicOnly: BackendClientKey {
        BackendClientKey(kty: kty, kid: kid, alg: alg, use: use, crv: crv, x: x, y: y, n: n, e: e)
    }

    /// The signing algorithms SMART Backend Services servers must accept (ES384, RS384), and ES256.
    public static let acceptedAlgorithms: Set<String> = ["ES256", "ES384", "RS384"]

    /// The algorithms this key can verify: ES256 for P-256, ES384 for P-384, RS384 for RSA,
    /// narrowed to `alg` when the set pins it.
    public var algorithms: Set<String> {
        let byKey: Set<String> =
            switch (kty, crv) {
            case ("EC", "P-256"): ["ES256"]
            case ("EC", "P-384"): ["ES384"]
            case ("RSA", _): ["RS384"]
            default: []
            }
        guard let alg else { return byKey }
        return byKey.intersection([alg])
    }
}

/// A JWK Set: `{"keys": [...]}`.
public struct BackendClientKeySet: Codable, Sendable, Equatable {
    public var keys: [BackendClientKey]

    public init(keys: [BackendClientKey]) { self.keys = keys }
}

/// A research organisation's backend service (SMART Backend Services): it authenticates to a
/// node's token endpoint with a JWT signed by one of `keys` and may export `studies` only.
public struct BackendClient: Codable, Sendable, Equatable {
    public var clientID: String
    /// The organisation that registered it; its studies are the only ones it may name.
    public var mspID: String
    public var name: String
    public var keys: [BackendClientKey]
    public var studies: [String]
    /// Enrollment ID of the admin who registered it last.
    public var registeredBy: String
    public var registeredAt: Int64
    /// Set once an admin revokes it; a revoked client gets no token and exports nothing.
    public var revokedAt: Int64?

    public init(
        clientID: String, mspID: String, name: String, keys: [BackendClientKey], studies: [String], registeredBy: String,
        registeredAt: Int64, revokedAt: Int64? = nil
    ) {
        self.clientID = clientID
        self.mspID = mspID
        self.name = name
        self.keys = keys
        self.studies = studies
        self.registeredBy = registeredBy
        self.registeredAt = registeredAt
        self.revokedAt = revokedAt
    }

    /// The role name a backend client reads under in `StudyRecords` and in audit events.
    public static let readerRole = "backend-client"
}

/// `{clientID, name, jwks, studies}`: the argument of `RegisterBackendClient`.
public struct RegisterBackendClientRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case clientID, name, jwks, studies }
    public typealias Field = CodingKeys
    public var clientID: String
    public var name: String
    public var jwks: BackendClientKeySet
    public var studies: [String]

    public init(clientID: String, name: String, jwks: BackendClientKeySet, studies: [String]) {
        self.clientID = clientID
        self.name = name
        self.jwks = jwks
        self.studies = studies
    }
}

/// `{clientID}`: the argument of `RevokeBackendClient` and `GetBackendClient`.
public struct ClientIDRequest: EHRRequest {
    public enum CodingKeys: String, CodingKey, CaseIterable { case clientID }
    public typealias Field = CodingKeys
    public var clientID: String

    public init(clientID: String) { self.clientID = clientID }
}
