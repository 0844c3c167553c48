internal import HTTPTypes
internal import Hummingbird
internal import Synchronization

/// The `https://host:port` origins this endpoint answers as: the names its TLS certificate holds
/// (loopback, `localhost` and the node's host names) with the port it listens on. URLs it hands
/// out (status, files, token endpoint) use the origin the client called when that is one of
/// them; a client assertion's `aud` must be the token URL of one of them, never a name the
/// client made up in its Host header.
final class FHIROrigins: Sendable {
    private let names: [String]
    private let port = Mutex<Int?>(nil)

    init(names: [String]) {
        var unique: [String] = []
        for name in ["127.0.0.1", "localhost"] + names where !unique.contains(name) { unique.append(name) }
        self.names = unique
    }

    /// Records the port once the server listens.
    func listening(on port: Int) {
        self.port.withLock { $0 = port }
    }

    /// Every origin, the first being the default.
    var all: [String] {
        guard let port = port.withLock({ $0 }) else { return [] }
        return names.map { name in name.contains(":") ? "https://[\(name)]:\(port)" : "https://\(name):\(port)" }
    }

    /// The token endpoint's URL under each origin: what `aud` may be.
    var tokenURLs: Set<String> { Set(all.map { $0 + "/auth/token" }) }

    /// The origin `request` was sent to (its Host header), if it is one of ours; else the default.
    func origin(for request: Request) -> String {
        let origins = all
        if let authority = request.head.authority, let match = origins.first(where: { $0 == "https://\(authority)" }) { return match }
        return origins.first ?? "https://127.0.0.1"
    }
}
