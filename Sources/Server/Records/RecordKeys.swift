internal import ContentStore
internal import Crypto
internal import Foundation
internal import Identity
internal import EHRModel
internal import LedgerCore
internal import Schema

/// A record's data key and content wherever its custodians are. When this node serves a
/// custodian organisation and holds its copy, the key comes from its own custody; otherwise a
/// custodian organisation's node releases it (deciding on its own copy of the ledger), and the
/// record's content, if this node has none, is fetched from the custodians' nodes and cached.
struct RecordKeys: Sendable {
    let custody: KeyCustody
    let content: ContentStore
    /// Other organisations' nodes; nil on a node that is the whole network (`dev`).
    let network: CustodianNetwork?

    /// Names a key and the decision it is asked under.
    struct Request: Sendable {
        var cid: CID
        var recordID: String
        var custodians: RecordCustodians
        /// The committed decision (`OpenRecord` or `StudyRecords`).
        var txID: String
    }

    /// The data key wrapped to `recipient` (a DER certificate the decision allows).
    func wrappedKey(_ request: Request, to recipient: Identity, on context: ChannelContext) async throws -> Data {
        if let copy = custody.heldCopy(of: request.cid, among: request.custodians) {
            return try custody.release(cid: request.cid, from: copy, to: recipient)
        }
        return try await released(request, to: Data(try recipient.certificate.derBytes), on: context).wrappedKey
    }

    /// The data key itself, for this node's own use on `peer`'s behalf (a peer it hosts of the
    /// decision's organisation): decrypting for a plain client, or a research export.
    func dataKey(_ request: Request, as peer: HostedPeer, on context: ChannelContext) async throws -> SymmetricKey {
        if let copy = custody.heldCopy(of: request.cid, among: request.custodians) {
            return try custody.dataKey(cid: request.cid, from: copy)
        }
        let released = try await released(request, to: peer.signer.certificateDER, on: context)
        return try custody.unwrap(released.wrappedKey, cid: request.cid, as: peer)
    }

    /// Makes sure this node has the record's content, fetching it from the custodians' nodes.
    func ensureContent(_ request: Request, on context: ChannelContext) async throws {
        guard !content.blocks.has(request.cid), let network else { return }
        try await network.fetchContent(request.cid, from: request.custodians.organizations, on: context, pin: false)
    }

    private func released(_ request: Request, to recipient: Data, on context: ChannelContext) async throws -> Medledger_V1_ReleaseKeyResponse {
        guard let network else { throw RecordAccessError.noKeyHeld(cid: request.cid) }
        var relayed = Medledger_V1_ReleaseKeyRequest()
        relayed.channelID = context.channelID
        relayed.transactionID = request.txID
        relayed.recordID = request.recordID
        relayed.recipientCertificate = recipient
        let response = try await network.releaseKey(relayed, by: request.custodians.organizations, on: context)
        guard response.cid == request.cid.description else {
            throw GatewayError.unavailable("the custodian released the key of \(response.cid), not of \(request.cid)")
        }
        return response
    }
}

extension KeyRelease {
    /// What `RecordKeys` needs to find this release's key.
    var keyRequest: RecordKeys.Request {
        RecordKeys.Request(cid: cid, recordID: record.recordID, custodians: custodians, txID: txID)
    }
}
