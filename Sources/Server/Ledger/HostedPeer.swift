public import Identity
internal import Wire

/// A peer identity this node endorses with, and the organisation it belongs to. A node usually
/// hosts one; the embedded development network hosts one per organisation, so that each
/// organisation's endorsements (and the data keys wrapped to it) are its own.
public struct HostedPeer: Sendable {
    public let mspID: String
    public let signer: RequestSigner

    public init(mspID: String, signer: RequestSigner) {
        self.mspID = mspID
        self.signer = signer
    }
}

extension [HostedPeer] {
    /// The peers that endorse a proposal of `creatorMSP` on a channel whose members pass
    /// `isMember`: the organisations the client asked for (each must be hosted and a member), or
    /// else the creator's own organisation's peer, or else the first hosted peer that is a member.
    func endorsers(
        requested: [String], creatorMSP: String, isMember: (String) -> Bool
    ) throws(GatewayError) -> [HostedPeer] {
        if !requested.isEmpty {
            return try requested.map { (mspID: String) throws(GatewayError) -> HostedPeer in
                guard let peer = first(where: { $0.mspID == mspID }), isMember(mspID) else {
                    throw .unavailable("this node hosts no peer of \(QuotedInput.quote(mspID)) on this channel (endorsing_organizations)")
                }
                return peer
            }
        }
        if let own = first(where: { $0.mspID == creatorMSP && isMember($0.mspID) }) { return [own] }
        guard let any = first(where: { isMember($0.mspID) }) else {
            throw .unavailable("this node hosts no peer of any member organisation of the channel")
        }
        return [any]
    }
}
