public import Foundation

/// Where a MedLedger node keeps its files and where it listens.
///
/// The defaults listen on loopback only; a node is reachable from other machines only when its
/// operator names a non-loopback `host` explicitly.
public struct ServerConfiguration: Sendable {
    /// The default gRPC port, the one Hyperledger Fabric peers use.
    public static let defaultPort = 7051

    /// The node's data directory; TLS material lives in its `tls/` subdirectory.
    public var dataDirectory: URL
    /// The IP address to bind (IPv4 dotted quad or IPv6).
    public var host: String
    /// The TCP port to bind; 0 asks the kernel for a free port (see `MedLedgerServer.listeningAddress`).
    public var port: Int
    /// Extra DNS names or IP addresses the server certificate must name, beside loopback and `localhost`.
    public var hostnames: [String]
    /// The port of the Prometheus endpoint (`GET /metrics`, plain HTTP, 127.0.0.1 only); 0 asks
    /// for a free port; nil serves no metrics.
    public var metricsPort: Int?
    /// The HTTPS port of FHIR Bulk Data export and the SMART token endpoint (on `host`, with the
    /// node's TLS certificate); 0 asks for a free port; nil serves no HTTPS.
    public var httpsPort: Int?
    /// How long a finished bulk export's files are kept for download.
    public var exportRetention: TimeInterval
    /// How long a record upload may take from its first call (Content.Add provisional, or
    /// DepositKeys) to its `AddRecord` commit before what it left is collected.
    public var uploadGrace: TimeInterval

    public init(
        dataDirectory: URL,
        host: String = "127.0.0.1",
        port: Int = ServerConfiguration.defaultPort,
        hostnames: [String] = [],
        metricsPort: Int? = nil,
        httpsPort: Int? = nil,
        exportRetention: TimeInterval = 3600,
        uploadGrace: TimeInterval = 3600
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.hostnames = hostnames
        self.metricsPort = metricsPort
        self.httpsPort = httpsPort
        self.exportRetention = exportRetention
        self.uploadGrace = uploadGrace
    }

    /// Where the content store keeps blocks and pins.
    public var contentDirectory: URL {
        dataDirectory.appendingPathComponent("content", isDirectory: true)
    }

    /// Where the ledger keeps one directory per channel (block store and state).
    public var ledgerDirectory: URL {
        dataDirectory.appendingPathComponent("ledger", isDirectory: true)
    }

    /// Where the node keeps record data keys in custody (wrapped, off chain) and study salts.
    public var keysDirectory: URL {
        dataDirectory.appendingPathComponent("keys", isDirectory: true)
    }

    /// Where the FHIR endpoint keeps export files (sealed) and the client assertions it accepted.
    public var fhirDirectory: URL {
        dataDirectory.appendingPathComponent("fhir", isDirectory: true)
    }

    /// The directory holding the node's TLS certificates and key.
    public var tlsDirectory: URL {
        dataDirectory.appendingPathComponent("tls", isDirectory: true)
    }
}
