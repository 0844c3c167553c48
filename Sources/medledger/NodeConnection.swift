internal import ArgumentParser
internal import Foundation
internal import GRPCCore
internal import GRPCNIOTransportHTTP2
internal import Identity
internal import CertificateAuthority
internal import Schema

/// Where a client command connects and as whom: TLS trusting the org root, with the identity's
/// certificate as mTLS client certificate when one is given.
struct NodeConnectionOptions: ParsableArguments {
    /// Where `medledger dev` and `serve` listen unless told otherwise.
    static let defaultAddress = "127.0.0.1:7051"

    @Option(help: "The node's address, HOST:PORT.")
    var address = NodeConnectionOptions.defaultAddress

    @Option(name: .customLong("identity"), help: ArgumentHelp("The caller's identity folder.", valueName: "DIR"))
    var identityDirectory: String?

    @Option(name: .customLong("ca-cert"), help: "The root to trust for TLS (default: tls-ca.pem, else ca.pem, of --identity).")
    var caCertificatePath: String?

    var identity: IdentityFolder? {
        identityDirectory.map { IdentityFolder(directory: URL(fileURLWithPath: $0)) }
    }

    func withClient<Result: Sendable>(
        requireIdentity: Bool,
        _ body: (Medledger_V1_CertificateAuthority.Client<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        try await withNodeClient(requireIdentity: requireIdentity) { client in
            try await body(Medledger_V1_CertificateAuthority.Client(wrapping: client))
        }
    }

    /// Runs `body` with a gRPC client connected to the node.
    func withNodeClient<Result: Sendable>(
        requireIdentity: Bool,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        if requireIdentity && identity == nil {
            throw ValidationError("this command needs --identity DIR (an enrolled identity folder)")
        }
        guard let trust = caCertificatePath ?? identity?.tlsTrustPath else {
            throw ValidationError("give --ca-cert PATH (the org root, e.g. DATA/tls/ca.pem) or --identity DIR")
        }
        return try await Self.withNodeClient(address: address, trusting: trust, identity: identity, body)
    }

    /// Runs `body` with a gRPC client connected to `address` (HOST:PORT) over TLS trusting
    /// `trust`, presenting `identity`'s certificate when one is given.
    static func withNodeClient<Result: Sendable>(
        address: String, trusting trust: String, identity: IdentityFolder?,
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ValidationError("--address must be HOST:PORT")
        }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.target(host: host, port: port),
            transportSecurity: .tls { tls in
                tls.trustRoots = .certificates([.file(path: trust, format: .pem)])
                if let identity {
                    tls.certificateChain = [.file(path: identity.certificatePath, format: .pem)]
                    tls.privateKey = .file(path: identity.keyPath, format: .pem)
                }
            }
        )
        return try await withGRPCClient(transport: transport) { client in try await body(client) }
    }
}

extension NodeConnectionOptions {
    /// IP literals connect directly, so that the server certificate is checked against its IP SANs.
    static func target(host: String, port: Int) -> any ResolvableTarget {
        switch HostNames.ipAddressBytes(host)?.count {
        case 4: .ipv4(address: host, port: port)
        case 16: .ipv6(address: host, port: port)
        default: .dns(host: host, port: port)
        }
    }
}

/// Prints an RPC failure as "error: CODE: message" (CODE as gRPC names it everywhere, e.g.
/// PERMISSION_DENIED) and exits non-zero, instead of a stack of wrappers.
func reportingRPCErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as RPCError {
        FileHandle.standardError.write(Data("error: \(error.code.canonicalName): \(error.message)\n".utf8))
        throw ExitCode(1)
    }
}

extension RPCError.Code {
    /// The status name of the gRPC specification (statuscodes.md), as other languages' tools print it.
    var canonicalName: String {
        switch self {
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internalError: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        default: "\(self)"
        }
    }
}
