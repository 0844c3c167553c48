internal import Crypto
internal import Foundation
internal import Synchronization
internal import Identity

/// What a bearer token lets its holder do: export the studies of one backend client, limited to
/// the resource types its granted scopes open, until it expires.
struct AccessGrant: Sendable, Equatable {
    let clientID: String
    let mspID: String
    let studies: Set<String>
    let resourceTypes: Set<String>
    let scope: String
    let expires: Date
}

/// The bearer tokens this node issued: 256 random bits each, kept only as their SHA-256 (a copy of
/// this table, or a log line, holds nothing usable), valid for `lifetime`. They live in memory: a
/// restarted node has issued none, and its clients ask again.
final class AccessTokens: Sendable {
    /// SMART recommends access tokens of at most five minutes for backend services.
    static let lifetime: TimeInterval = 300

    private let grants = Mutex<[String: AccessGrant]>([:])

    /// A new token for `grant`.
    func issue(_ grant: AccessGrant) -> String {
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { Base64URL.encode(Data($0)) }
        let now = Date()
        grants.withLock { grants in
            grants = grants.filter { $0.value.expires > now }
            grants[Self.digest(token)] = grant
        }
        return token
    }

    /// The grant of `token` if this node issued it and it has not expired.
    func grant(for token: String, now: Date = Date()) -> AccessGrant? {
        guard let grant = grants.withLock({ $0[Self.digest(token)] }), grant.expires > now else { return nil }
        return grant
    }

    private static func digest(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
