public import Foundation
internal import Dispatch

/// Every decoder MedLedger runs on bytes it did not write, as a fuzz target: `run` must return
/// for any input — a crash, a hang or a broken round trip is a finding. The libFuzzer driver
/// (`Fuzz/`, built with `-sanitize=fuzzer,address`) calls `run` millions of times; the
/// corpus replay test calls it on every kept input in CI.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Protobuf wire decoding of every generated message type (the first byte picks the type);
    /// what decodes must re-encode to bytes that decode to an equal message (the same bytes, with NaNs).
    case wire
    /// Proto3 JSON mapping of every message type (the first byte picks the type); what parses
    /// must print JSON that parses again.
    case wireJSON = "wire-json"
    /// CID and multibase text (`Qm…`, `b…`, `z…`, `f…`); what parses must print and parse back equal.
    case cid
    /// dag-pb nodes as blocks arrive from other nodes and CAR files.
    case dagPB = "dag-pb"
    /// UnixFS data inside dag-pb nodes.
    case unixFS = "unixfs"
    /// CAR v1 streams, fed in two pieces.
    case car
    /// PEM certificates (client identities, CA roots in channel configurations).
    case pemCertificate = "pem-certificate"
    /// DER certificates (the creators and endorsers named in transactions).
    case derCertificate = "der-certificate"
    /// Certificate signing requests sent to Enroll and Reenroll.
    case csr
    /// The chaincode's JSON documents (asset values, EHR contract arguments).
    case jsonDocument = "json-document"
    /// The Wire JSON parser (proto3 JSON mapping input).
    case jsonValue = "json-value"
    /// Rich queries (CouchDB-style selectors) sent with Evaluate.
    case richQuery = "rich-query"
    /// The code generator's proto3 lexer and parser.
    case proto3
    /// Sealed-stream records (header and segments) opened with a key.
    case sealedStream = "sealed-stream"

    /// Runs the target on `data`. Returns normally for any input; a violated property stops the
    /// process with `preconditionFailure`, which the fuzzer reports with the input.
    public func run(_ data: Data) async {
        if self == .sealedStream {
            await SealedStreamFuzzing.open(data)
        } else {
            runSynchronous(data)
        }
    }

    /// `run` for libFuzzer's callback, which is synchronous: waits for the asynchronous target on
    /// a semaphore. Call it only from a thread of its own (libFuzzer's), never from a task, whose
    /// thread the waiting would take from the concurrency pool.
    public func runBlocking(_ data: Data) {
        guard self == .sealedStream else { return runSynchronous(data) }
        let done = DispatchSemaphore(value: 0)
        Task {
            await SealedStreamFuzzing.open(data)
            done.signal()
        }
        done.wait()
    }

    private func runSynchronous(_ data: Data) {
        switch self {
        case .wire: WireFuzzing.binary(data)
        case .wireJSON: WireFuzzing.json(data)
        case .cid: ContentFuzzing.cid(data)
        case .dagPB: ContentFuzzing.dagPB(data)
        case .unixFS: ContentFuzzing.unixFS(data)
        case .car: ContentFuzzing.car(data)
        case .pemCertificate: IdentityFuzzing.pem(data)
        case .derCertificate: IdentityFuzzing.der(data)
        case .csr: IdentityFuzzing.csr(data)
        case .jsonDocument: TextFuzzing.jsonDocument(data)
        case .jsonValue: TextFuzzing.jsonValue(data)
        case .richQuery: TextFuzzing.richQuery(data)
        case .proto3: TextFuzzing.proto3(data)
        case .sealedStream: preconditionFailure("the sealed-stream target runs asynchronously")
        }
    }
}
