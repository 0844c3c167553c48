import Chaincode
import Foundation
import Identity
import LedgerCore
import Schema
import Testing

@Suite("AssetContract end to end on in-memory state")
struct AssetContractTests {
    let state = InMemoryState()
    let dispatcher: ChaincodeDispatcher
    let alice = TestIdentities.hospitalA
    let bob = TestIdentities.hospitalB

    init() throws {
        dispatcher = try ChaincodeDispatcher(contracts: [AssetContract()])
    }

    /// Simulates `function` as `identity`; commits the result if `commit` and it succeeded.
    @discardableResult
    func call(_ function: String, _ args: [String], as identity: Identity? = nil, commit txID: String? = nil, at seconds: Int64 = 1_700_000_000)
        throws -> SimulationResult
    {
        let result = try dispatcher.simulate(
            proposal: proposal("asset", function, args, txID: txID ?? "sim"), creator: identity ?? alice, state: state
        )
        if let txID, result.response.isSuccess {
            try state.commit(result, txID: txID, seconds: seconds)
        }
        return result
    }

    func json(_ data: Data) throws -> Any {
        try JSONSerialization.jsonObject(with: data)
    }

    @Test("CreateAsset stores the asset with its ID and the creator's organisation; ReadAsset returns it")
    func createThenRead() throws {
        let created = try call("CreateAsset", ["a1", #"{"value":300,"owner":"ann","color":"blue"}"#], commit: "tx-create")
        #expect(created.response.status == 200)
        let expected = #"{"color":"blue","id":"a1","owner":"ann","ownerOrg":"HospitalAMSP","value":300}"#
        #expect(created.response.text == expected)
        let set = try #require(created.readWriteSet)
        #expect(set.namespace == "asset")
        #expect(set.reads.map(\.key) == ["a1"])
        #expect(set.reads[0].version == nil)
        #expect(set.writes.map(\.key) == ["a1"])

        let read = try call("ReadAsset", ["a1"])
        #expect(read.response.text == expected)
        #expect(read.readWriteSet?.reads.first?.version == version(0, 0))
        #expect(try call("AssetExists", ["a1"]).response.text == "true")
        #expect(try call("AssetExists", ["a2"]).response.text == "false")
    }

    @Test("Creating an existing asset is 409, reading a missing one 404, bad input 400")
    func refusals() throws {
        try call("CreateAsset", ["a1", #"{"value":1,"owner":"ann"}"#], commit: "tx-1")
        #expect(try call("CreateAsset", ["a1", #"{"value":2,"owner":"ann"}"#]).response.status == 409)
        #expect(try call("ReadAsset", ["nope"]).response.status == 404)
        #expect(try call("CreateAsset", ["a2", #"{"owner":"ann"}"#]).response.status == 400)
        #expect(try call("CreateAsset", ["a2", #"{"value":1,"owner":""}"#]).response.status == 400)
        #expect(try call("CreateAsset", ["a2", "[1,2]"]).response.status == 400)
        #expect(try call("CreateAsset", ["a2"]).response.status == 400)
        #expect(try call("CreateAsset", ["\u{0}kv\u{0}x\u{0}", #"{"value":1,"owner":"ann"}"#]).response.status == 400)
        #expect(try call("GetAllAssets", ["extra"]).response.status == 400)
    }

    @Test("Only the owning organisation may transfer, update or delete an asset")
    func accessRule() throws {
        try call("CreateAsset", ["a1", #"{"value":5,"owner":"ann"}"#], commit: "tx-1")

        let stolen = try call("TransferAsset", ["a1", "mallory"], as: bob)
        #expect(stolen.response.status == 403)
        #expect(stolen.response.message.contains("HospitalBMSP"))
        #expect(stolen.readWriteSet == nil)
        #expect(try call("UpdateAsset", ["a1", #"{"value":0,"owner":"bob"}"#], as: bob).response.status == 403)
        #expect(try call("DeleteAsset", ["a1"], as: bob).response.status == 403)

        let transferred = try call("TransferAsset", ["a1", "ben"], commit: "tx-2")
        #expect(transferred.response.status == 200)
        #expect(transferred.response.text == "ann")
        #expect(transferred.event?.eventName == "AssetTransferred")
        #expect(transferred.event?.payload == bytes(#"{"from":"ann","id":"a1","to":"ben"}"#))
        #expect(try call("ReadAsset", ["a1"]).response.text == #"{"id":"a1","owner":"ben","ownerOrg":"HospitalAMSP","value":5}"#)
    }

    @Test("UpdateAsset keeps the ID and organisation; DeleteAsset removes the asset")
    func updateAndDelete() throws {
        try call("CreateAsset", ["a1", #"{"value":5,"owner":"ann"}"#], commit: "tx-1")
        let updated = try call("UpdateAsset", ["a1", #"{"value":6,"owner":"ann","id":"forged","ownerOrg":"HospitalBMSP"}"#], commit: "tx-2")
        #expect(updated.response.text == #"{"id":"a1","owner":"ann","ownerOrg":"HospitalAMSP","value":6}"#)
        let deleted = try call("DeleteAsset", ["a1"], commit: "tx-3")
        #expect(deleted.readWriteSet?.writes.first?.isDelete == true)
        #expect(try call("ReadAsset", ["a1"]).response.status == 404)
        #expect(try call("UpdateAsset", ["a1", #"{"value":6,"owner":"ann"}"#]).response.status == 404)
    }

    @Test("QueryAssetsByOwner and GetAllAssets list assets in key order; Put values stay apart")
    func listing() throws {
        try call("CreateAsset", ["a2", #"{"value":2,"owner":"ann"}"#], commit: "tx-1")
        try call("CreateAsset", ["a1", #"{"value":1,"owner":"ann"}"#], commit: "tx-2")
        try call("CreateAsset", ["a3", #"{"value":3,"owner":"ben"}"#], commit: "tx-3")
        try call("Put", ["a0", #"{"owner":"ann"}"#], commit: "tx-4")

        let byOwner = try call("QueryAssetsByOwner", ["ann"])
        let owned = try #require(try json(byOwner.response.payload) as? [[String: Any]])
        #expect(owned.map { $0["id"] as? String } == ["a1", "a2"])
        #expect(byOwner.readWriteSet == nil)

        let all = try call("GetAllAssets", [])
        let assets = try #require(try json(all.response.payload) as? [[String: Any]])
        #expect(assets.map { $0["id"] as? String } == ["a1", "a2", "a3"])
        #expect(all.readWriteSet?.rangeQueries.first?.itrExhausted == true)
        #expect(AssetContract().indexedFields == ["owner"])
    }

    @Test("GetAssetHistory lists every committed change, oldest first")
    func history() throws {
        try call("CreateAsset", ["a1", #"{"value":1,"owner":"ann"}"#], commit: "tx-create", at: 100)
        try call("TransferAsset", ["a1", "ben"], commit: "tx-transfer", at: 200)
        try call("DeleteAsset", ["a1"], commit: "tx-delete", at: 300)

        let result = try call("GetAssetHistory", ["a1"])
        let changes = try #require(try json(result.response.payload) as? [[String: Any]])
        #expect(changes.map { $0["txID"] as? String } == ["tx-create", "tx-transfer", "tx-delete"])
        #expect(changes.map { $0["isDelete"] as? Bool } == [false, false, true])
        #expect(changes.map { ($0["timestamp"] as? [String: Any])?["seconds"] as? Int } == [100, 200, 300])
        #expect(changes.map { ($0["version"] as? [String: Any])?["blockNum"] as? Int } == [0, 1, 2])
        #expect(changes.map { ($0["value"] as? [String: Any])?["owner"] as? String } == ["ann", "ben", nil])
        #expect(changes[2]["value"] is NSNull)
    }

    @Test("Put and Get store raw values")
    func putAndGet() throws {
        let put = try call("Put", ["k", "v1"], commit: "tx-1")
        #expect(put.readWriteSet?.reads.isEmpty == true)
        #expect(put.readWriteSet?.writes.map(\.key) == ["\u{0}kv\u{0}k\u{0}"])
        #expect(try call("Get", ["k"]).response.text == "v1")
        #expect(try call("Get", ["other"]).response.status == 404)
        #expect(try call("Put", ["bad\u{0}key", "v"]).response.status == 400)
    }
}
