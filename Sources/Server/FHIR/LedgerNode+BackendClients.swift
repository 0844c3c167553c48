internal import Chaincode
internal import EHRModel
internal import Foundation

extension LedgerNode {
    /// Backend client `clientID` as the committed state of `channelID` registers it, if it does.
    func backendClient(_ clientID: String, on channelID: String) throws -> BackendClient? {
        guard let channel = joinedChannel(channelID) else { return nil }
        guard let key = try? EHRContract.backendClientKey(clientID),
            let value = try channel.peer.committedValue(namespace: EHRContract.contractName, key: key)
        else { return nil }
        return try JSONDecoder().decode(BackendClient.self, from: value)
    }
}
