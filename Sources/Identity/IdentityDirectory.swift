public import Foundation

/// A directory of identity folders by name (`DIR/NAME/cert.pem`, `key.pem`, …): how a development
/// network hands its demo identities to clients, which find them here without the node's code.
public struct IdentityDirectory: Sendable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// The demo identities of the development network whose data directory is `dataDirectory`
    /// (`DIR/identities/`).
    public static func developmentNetwork(dataDirectory: URL) -> IdentityDirectory {
        IdentityDirectory(url: dataDirectory.appendingPathComponent("identities", isDirectory: true))
    }

    /// The identity folder `name`.
    public func identity(_ name: String) -> IdentityFolder {
        IdentityFolder(directory: url.appendingPathComponent(name, isDirectory: true))
    }
}
