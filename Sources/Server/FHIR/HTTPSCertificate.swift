internal import Foundation
internal import NIOCore
internal import NIOSSL
internal import Synchronization

/// The certificate and key the HTTPS endpoint presents: the node's own TLS identity (the files
/// `NodeTLSIdentity` keeps and renews), read again when `server.pem` changes, so a renewed
/// certificate is served from the next handshake on without a restart.
final class HTTPSCertificate: Sendable {
    private struct Loaded {
        let modified: Date
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
    }

    let certificatePath: String
    let keyPath: String
    private let loaded: Mutex<Loaded>

    init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        loaded = Mutex(try Self.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// A server TLS configuration (TLS 1.2 and 1.3, HTTP/1.1) whose every handshake presents the current certificate.
    func serverConfiguration() -> TLSConfiguration {
        let current = loaded.withLock { $0 }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: current.chain.map { .certificate($0) }, privateKey: .privateKey(current.key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        configuration.sslContextCallback = { [self] _, promise in
            let current = loaded.withLock { $0 }
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = current.chain.map { .certificate($0) }
            override.privateKey = .privateKey(current.key)
            promise.succeed(override)
        }
        return configuration
    }

    /// Reads the files again if `server.pem` changed since they were read; a pair that does not
    /// load (a renewal half written) is skipped until the next call.
    func reloadIfChanged() {
        guard let modified = Self.modified(certificatePath), modified != loaded.withLock({ $0.modified }),
            let fresh = try? Self.load(certificatePath: certificatePath, keyPath: keyPath)
        else { return }
        loaded.withLock { $0 = fresh }
    }

    private static func load(certificatePath: String, keyPath: String) throws -> Loaded {
        Loaded(
            modified: modified(certificatePath) ?? Date(),
            chain: try NIOSSLCertificate.fromPEMFile(certificatePath),
            key: try NIOSSLPrivateKey(file: keyPath, format: .pem))
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
