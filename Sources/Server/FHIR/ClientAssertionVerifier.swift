internal import EHRModel
internal import Foundation
internal import Identity
internal import JWTKit

/// Checks a SMART Backend Services client assertion (RFC 7523 §3 and the SMART App Launch IG):
/// a JWT whose header names an accepted algorithm (ES384, RS384, ES256), `typ` JWT and the `kid`
/// of a key the client registered on the ledger; whose `iss` and `sub` are the client ID; whose
/// `aud` is this token endpoint; whose `exp` has not passed and is at most five minutes ahead;
/// whose `jti` was never accepted before; and whose signature verifies under that key
/// (vapor/jwt-kit). Every failure is an `invalid_client` naming the check that failed.
struct ClientAssertionVerifier: Sendable {
    /// How far ahead an assertion's `exp` may be (SMART: no more than five minutes).
    static let maximumLifetime: Int64 = 300
    /// Clock difference tolerated between client and node.
    static let leeway: Int64 = 30

    /// The URLs that name this token endpoint; `aud` must be one of them.
    let audiences: @Sendable () -> Set<String>
    /// The client's current registration, read from the ledger.
    let registration: @Sendable (String) throws -> BackendClient?
    let replays: AssertionReplayGuard

    /// The registered, unrevoked client that signed `assertion`.
    func verify(_ assertion: String, now: Date = Date()) async throws(OAuthRefusal) -> BackendClient {
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.object(parts[0]), let claims = Self.object(parts[1]) else {
            throw .invalidClient("client_assertion is not a signed JWT (three base64url parts of JSON)")
        }
        guard let alg = header["alg"] as? String, BackendClientKey.acceptedAlgorithms.contains(alg) else {
            throw .invalidClient("the assertion's alg must be ES384, RS384 or ES256; got \(header["alg"] ?? "none")")
        }
        if let typ = header["typ"], typ as? String != "JWT" { throw .invalidClient("the assertion's typ must be JWT") }
        guard let kid = header["kid"] as? String, !kid.isEmpty else { throw .invalidClient("the assertion's header names no kid") }
        guard let clientID = claims["iss"] as? String, !clientID.isEmpty else { throw .invalidClient("the assertion has no iss") }
        guard claims["sub"] as? String == clientID else { throw .invalidClient("the assertion's sub must equal its iss (\(clientID))") }
        let client: BackendClient?
        do { client = try registration(clientID) } catch { throw .invalidClient("client \(clientID) cannot be looked up: \(error)") }
        guard let client else { throw .invalidClient("no backend client \(clientID) is registered") }
        guard client.revokedAt == nil else { throw .invalidClient("backend client \(clientID) is revoked") }
        guard let key = client.keys.first(where: { $0.kid == kid }) else {
            throw .invalidClient("backend client \(clientID) registered no key with kid \(kid)")
        }
        guard key.algorithms.contains(alg) else { throw .invalidClient("key \(kid) of \(clientID) does not sign with \(alg)") }
        try await Self.verifySignature(assertion, with: key, alg: alg)
        try checkTimeAndAudience(claims, now: Int64(now.timeIntervalSince1970))
        guard let jti = claims["jti"] as? String, !jti.isEmpty, let exp = claims["exp"] as? NSNumber else {
            throw .invalidClient("the assertion has no jti")
        }
        let fresh: Bool
        do { fresh = try replays.accept(jti: jti, of: clientID, expires: exp.int64Value + Self.leeway, now: now) } catch {
            throw OAuthRefusal(error: "temporarily_unavailable", description: "the node cannot record the assertion's jti; retry")
        }
        guard fresh else { throw .invalidClient("the assertion's jti was used before: each assertion is accepted once") }
        return client
    }

    private func checkTimeAndAudience(_ claims: [String: Any], now: Int64) throws(OAuthRefusal) {
        guard let exp = (claims["exp"] as? NSNumber)?.int64Value else { throw .invalidClient("the assertion has no exp") }
        guard exp + Self.leeway >= now else { throw .invalidClient("the assertion expired \(now - exp) seconds ago") }
        guard exp <= now + Self.maximumLifetime + Self.leeway else {
            throw .invalidClient("the assertion's exp is \(exp - now) seconds ahead; at most \(Self.maximumLifetime) are allowed")
        }
        if let nbf = (claims["nbf"] as? NSNumber)?.int64Value, nbf > now + Self.leeway {
            throw .invalidClient("the assertion is not valid before \(nbf)")
        }
        let audience: [String] = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String]) ?? []
        let ours = audiences()
        guard audience.contains(where: ours.contains) else {
            throw .invalidClient("the assertion's aud \(audience) is not this token endpoint (\(ours.sorted().first ?? ""))")
        }
    }

    /// Verifies the JWS signature with jwt-kit under the registered public key.
    private static func verifySignature(_ assertion: String, with key: BackendClientKey, alg: String) async throws(OAuthRefusal) {
        do {
            var pinned = key
            pinned.alg = alg
            let jwk = try JSONDecoder().decode(JWK.self, from: JSONEncoder().encode(pinned))
            let keys = JWTKeyCollection()
            try await keys.add(jwk: jwk)
            _ = try await keys.verify(assertion, as: UncheckedClaims.self)
        } catch {
            throw .invalidClient("the assertion's signature does not verify under key \(key.kid)")
        }
    }

    private static func object(_ part: Substring) -> [String: Any]? {
        Base64URL.decode(part).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }
}

/// The assertion's claims, checked by `ClientAssertionVerifier` itself after the signature.
private struct UncheckedClaims: JWTPayload {
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
