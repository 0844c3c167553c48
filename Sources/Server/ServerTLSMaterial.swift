/// The certificates and key a server presents in the TLS handshake, as PEM text.
///
/// The private key never appears in `description`, so logging a value of this type is safe.
public struct ServerTLSMaterial: Sendable, CustomStringConvertible {
    /// The server certificate first, then any intermediates, each as a PEM block.
    public var certificateChainPEM: [String]
    /// The server's private key (PKCS#8 PEM).
    public var privateKeyPEM: String
    /// The root certificate clients should trust to verify this server, when it has one of its own.
    public var trustRootPEM: String?

    public init(certificateChainPEM: [String], privateKeyPEM: String, trustRootPEM: String? = nil) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.trustRootPEM = trustRootPEM
    }

    public var description: String {
        "ServerTLSMaterial(certificates: \(certificateChainPEM.count), privateKey: <redacted>)"
    }
}

/// Something that supplies the server's TLS identity: the development CA today, the node's
/// certificate authority later.
public protocol ServerTLSMaterialSource: Sendable {
    /// Returns the material to serve with, creating or renewing it if this source does that.
    func loadServerTLSMaterial() throws -> ServerTLSMaterial
}
