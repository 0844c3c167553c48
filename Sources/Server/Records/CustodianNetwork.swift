internal import ContentStore
internal import Foundation
internal import GRPCCore
internal import Identity
internal import LedgerCore
internal import Schema

/// What this node asks of other organisations' nodes for health records: the certificate their
/// key copies are wrapped to, to hold the home organisation's copy and a replica of new content,
/// to release a key under a decision (which they check on their own copy of the ledger), and
/// content by CID (every block verified against its hash).
struct CustodianNetwork: Sendable {
    let peers: OrganizationPeers
    let content: ContentStore

    /// How long a replica may take: the other node fetches the whole content from this one.
    static let replicaTimeout: Duration = .seconds(120)

    /// The certificate of `mspID`'s custodian, checked to be a peer of `mspID` on the channel.
    func custodianCertificate(of mspID: String, on context: ChannelContext) async throws -> Data {
        let request = Self.custodianRequest(mspID)
        let certificate = try await peers.call(mspID, on: context, to: "name its key custodian") { client, options, _ in
            try await Medledger_V1_Records.Client(wrapping: client).getCustodian(request, options: options).certificate
        }
        let custodian = try context.identity(der: certificate, at: Date())
        guard custodian.role == .peer, custodian.mspID == mspID else {
            throw GatewayError.unavailable("the node of \(mspID) named \(custodian) as its key custodian, which is not a peer of \(mspID)")
        }
        return certificate
    }

    /// Has `mspID`'s node keep its key copy and pin a replica of the content, fetched from here.
    func holdReplica(_ request: Medledger_V1_HoldReplicaRequest, at mspID: String, on context: ChannelContext) async throws
        -> Medledger_V1_HoldReplicaResponse
    {
        try await peers.call(mspID, on: context, to: "hold a replica of \(request.cid)", timeout: Self.replicaTimeout) { client, options, _ in
            try await Medledger_V1_Records.Client(wrapping: client).holdReplica(request, options: options)
        }
    }

    /// The key a custodian among `organizations` releases under `request`, trying the next when
    /// one cannot be reached; a custodian's refusal is final.
    func releaseKey(_ request: Medledger_V1_ReleaseKeyRequest, by organizations: [String], on context: ChannelContext) async throws
        -> Medledger_V1_ReleaseKeyResponse
    {
        var unavailable: [String] = []
        for organization in organizations {
            switch await release(request, by: organization, on: context) {
            case .success(let response): return response
            case .failure(let error) where error.code == .unavailable: unavailable.append(error.description)
            case .failure(let error): throw error
            }
        }
        throw GatewayError.unavailable("no key custodian of record \(request.recordID) could be reached: \(unavailable.joined(separator: "; "))")
    }

    /// Fetches `cid` from the first node of `organizations` that has it; `pin` keeps it (a
    /// replica), otherwise it is a cache that garbage collection may take.
    @discardableResult
    func fetchContent(_ cid: CID, from organizations: [String], on context: ChannelContext, pin: Bool) async throws -> Int {
        var failures: [String] = []
        for organization in organizations {
            switch await fetch(cid, from: organization, on: context, pin: pin) {
            case .success(let fetched): return fetched
            case .failure(let error): failures.append(error.description)
            }
        }
        throw GatewayError.unavailable("no node holding content \(cid) could serve it: \(failures.joined(separator: "; "))")
    }

    private func release(_ request: Medledger_V1_ReleaseKeyRequest, by organization: String, on context: ChannelContext) async
        -> Result<Medledger_V1_ReleaseKeyResponse, GatewayError>
    {
        do {
            return .success(
                try await peers.call(organization, on: context, to: "release the key of record \(request.recordID)") { client, options, _ in
                    try await Medledger_V1_Records.Client(wrapping: client).releaseKey(request, options: options)
                })
        } catch {
            return .failure(error)
        }
    }

    private func fetch(_ cid: CID, from organization: String, on context: ChannelContext, pin: Bool) async -> Result<Int, GatewayError> {
        let store = content
        do {
            return .success(
                try await peers.call(organization, on: context, to: "serve content \(cid)", timeout: Self.replicaTimeout) { client, options, _ in
                    try await BlockFetcher(store: store).fetch(cid, from: client, pin: pin, options: options)
                })
        } catch {
            return .failure(error)
        }
    }

    private static func custodianRequest(_ mspID: String) -> Medledger_V1_GetCustodianRequest {
        var request = Medledger_V1_GetCustodianRequest()
        request.mspID = mspID
        return request
    }
}
