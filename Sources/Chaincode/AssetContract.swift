import Foundation
import Identity
import LedgerCore
import Schema
internal import Wire

/// A sample contract shaped like Fabric's asset-transfer-basic, used by tests and benchmarks.
///
/// Assets are JSON objects stored under their ID (a simple key). Each has at least `owner` (a
/// string) and `value`; the contract adds `id` and `ownerOrg`, the MSP ID of the identity that
/// created it. Only identities of that organisation may update, transfer or delete the asset (403
/// otherwise). `Put`/`Get` store raw values under composite keys of object type `kv`, so they never
/// appear among the assets of `GetAllAssets`. Arguments are UTF-8 strings; output is JSON with
/// sorted keys.
public struct AssetContract: Contract {
    public let name = "asset"
    public let indexedFields = ["owner"]

    public init() {}

    public var functions: [String: ContractFunction] {
        [
            "CreateAsset": Self.createAsset,
            "ReadAsset": Self.readAsset,
            "UpdateAsset": Self.updateAsset,
            "DeleteAsset": Self.deleteAsset,
            "TransferAsset": Self.transferAsset,
            "AssetExists": Self.assetExists,
            "GetAllAssets": Self.getAllAssets,
            "QueryAssetsByOwner": Self.queryAssetsByOwner,
            "GetAssetHistory": Self.getAssetHistory,
            "Put": Self.put,
            "Get": Self.get,
        ]
    }

    // MARK: - Assets

    /// CreateAsset(id, asset JSON) → the stored asset. 409 if the ID is taken.
    static func createAsset(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let (id, json) = try arguments(stub, "id", "asset JSON")
        guard try stub.getState(try assetKey(id)) == nil else {
            throw ChaincodeError.rejected(status: 409, message: "asset \(QuotedInput.quote(id)) already exists")
        }
        let asset = try assetDocument(json, id: id, ownerOrg: stub.creator.mspID)
        try stub.putState(id, asset)
        return .success(asset)
    }

    /// ReadAsset(id) → the asset; 404 if there is none.
    static func readAsset(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let id = try arguments(stub, "id")
        return .success(try existingAsset(id, stub).data)
    }

    /// UpdateAsset(id, asset JSON) → the stored asset; replaces every field but `id` and `ownerOrg`.
    static func updateAsset(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let (id, json) = try arguments(stub, "id", "asset JSON")
        let existing = try existingAsset(id, stub)
        try authorize(stub, toChange: id, existing.fields, action: "update")
        let asset = try assetDocument(json, id: id, ownerOrg: existing.fields["ownerOrg"]?.stringValue ?? "")
        try stub.putState(id, asset)
        return .success(asset)
    }

    /// DeleteAsset(id).
    static func deleteAsset(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let id = try arguments(stub, "id")
        let existing = try existingAsset(id, stub)
        try authorize(stub, toChange: id, existing.fields, action: "delete")
        try stub.deleteState(id)
        return .success()
    }

    /// TransferAsset(id, new owner) → the previous owner; sets the event `AssetTransferred`.
    static func transferAsset(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let (id, newOwner) = try arguments(stub, "id", "new owner")
        guard !newOwner.isEmpty else { throw ChaincodeError.rejected(status: 400, message: "the new owner must not be empty") }
        var (fields, _) = try existingAsset(id, stub)
        try authorize(stub, toChange: id, fields, action: "transfer")
        let previousOwner = fields["owner"]?.stringValue ?? ""
        fields["owner"] = .string(newOwner)
        try stub.putState(id, try JSONDocument.object(fields).encoded())
        let event: JSONDocument = .object(["id": .string(id), "from": .string(previousOwner), "to": .string(newOwner)])
        try stub.setEvent(name: "AssetTransferred", payload: try event.encoded())
        return .success(Data(previousOwner.utf8))
    }

    /// AssetExists(id) → `true` or `false`.
    static func assetExists(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let id = try arguments(stub, "id")
        let exists = try stub.getState(try assetKey(id)) != nil
        return .success(Data((exists ? "true" : "false").utf8))
    }

    /// GetAllAssets() → JSON array of every asset, in key order.
    static func getAllAssets(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        _ = try arguments(stub, count: 0, names: [])
        let page = try stub.getStateByRange(start: "", end: "")
        return .success(try jsonArray(page.entries.map(\.value)))
    }

    /// QueryAssetsByOwner(owner) → JSON array of the owner's assets, by rich query on `owner`.
    static func queryAssetsByOwner(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let owner = try arguments(stub, "owner")
        let selector: JSONDocument = .object(["selector": .object(["owner": .string(owner)])])
        let page = try stub.getQueryResult(String(decoding: try selector.encoded(), as: UTF8.self))
        // Assets live under simple keys; a `Put` value that happens to have an owner is not one.
        let assets = page.entries.filter { $0.key.unicodeScalars.first != "\u{0}" }
        return .success(try jsonArray(assets.map(\.value)))
    }

    /// GetAssetHistory(id) → JSON array of changes, oldest first: `txID`, `timestamp` (`seconds`,
    /// `nanos`), `version` (`blockNum`, `txNum`), `isDelete` and `value` (the asset, or null).
    static func getAssetHistory(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let id = try arguments(stub, "id")
        let changes = try stub.getHistoryForKey(try assetKey(id)).map { change -> JSONDocument in
            .object([
                "txID": .string(change.txID),
                "timestamp": .object([
                    "seconds": .integer(change.timestamp.seconds), "nanos": .integer(Int64(change.timestamp.nanos)),
                ]),
                "version": .object([
                    "blockNum": .integer(Int64(clamping: change.version.blockNum)),
                    "txNum": .integer(Int64(clamping: change.version.txNum)),
                ]),
                "isDelete": .bool(change.isDelete),
                "value": change.isDelete ? .null : (JSONDocument.parse(change.value) ?? .null),
            ])
        }
        return .success(try JSONDocument.array(changes).encoded())
    }

    // MARK: - Benchmark pair

    /// Put(key, value): stores `value`'s bytes under the composite key (`kv`, key).
    static func put(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let (key, value) = try arguments(stub, "key", "value")
        try stub.putState(try kvKey(key, stub), Data(value.utf8))
        return .success()
    }

    /// Get(key) → the value stored by `Put`; 404 if there is none.
    static func get(_ stub: ChaincodeStub) throws -> Medledger_V1_Response {
        let key = try arguments(stub, "key")
        guard let value = try stub.getState(try kvKey(key, stub)) else {
            throw ChaincodeError.rejected(status: 404, message: "no value stored under \(QuotedInput.quote(key))")
        }
        return .success(value)
    }
}
