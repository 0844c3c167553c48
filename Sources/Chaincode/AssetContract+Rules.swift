import Foundation
import Identity
import LedgerCore
internal import Wire

/// Argument parsing, key rules and the access rule of `AssetContract`; every refusal is a
/// `ChaincodeError.rejected` with the status a client should see.
extension AssetContract {
    static func arguments(_ stub: ChaincodeStub, _ name: String) throws -> String {
        try arguments(stub, count: 1, names: [name])[0]
    }

    static func arguments(_ stub: ChaincodeStub, _ first: String, _ second: String) throws -> (String, String) {
        let strings = try arguments(stub, count: 2, names: [first, second])
        return (strings[0], strings[1])
    }

    static func arguments(_ stub: ChaincodeStub, count: Int, names: [String]) throws -> [String] {
        let strings = try stub.stringArgs()
        guard strings.count == count else {
            let expected = names.isEmpty ? "no arguments" : "\(count) argument\(count == 1 ? "" : "s") (\(names.joined(separator: ", ")))"
            throw ChaincodeError.rejected(status: 400, message: "\(stub.function) takes \(expected), got \(strings.count)")
        }
        return strings
    }

    /// An asset ID is a simple key: non-empty and not starting with U+0000.
    static func assetKey(_ id: String) throws -> String {
        guard !id.isEmpty, id.unicodeScalars.first != "\u{0}" else {
            throw ChaincodeError.rejected(status: 400, message: "asset IDs must be non-empty and not start with U+0000")
        }
        return id
    }

    static func kvKey(_ key: String, _ stub: ChaincodeStub) throws -> String {
        do { return try stub.createCompositeKey(objectType: "kv", attributes: [key]) } catch {
            throw ChaincodeError.rejected(status: 400, message: "\(error)")
        }
    }

    /// The stored asset `id` as fields and as stored bytes; 404 if it does not exist.
    static func existingAsset(_ id: String, _ stub: ChaincodeStub) throws -> (fields: [String: JSONDocument], data: Data) {
        guard let data = try stub.getState(try assetKey(id)) else {
            throw ChaincodeError.rejected(status: 404, message: "asset \(QuotedInput.quote(id)) does not exist")
        }
        guard case .object(let fields)? = JSONDocument.parse(data) else {
            throw ChaincodeError.rejected(status: 500, message: "asset \(QuotedInput.quote(id)) is stored as something other than a JSON object")
        }
        return (fields, data)
    }

    /// Only identities of the organisation that created an asset may change it.
    static func authorize(_ stub: ChaincodeStub, toChange id: String, _ fields: [String: JSONDocument], action: String) throws {
        let ownerOrg = fields["ownerOrg"]?.stringValue ?? ""
        guard stub.creator.mspID == ownerOrg else {
            throw ChaincodeError.rejected(
                status: 403,
                message: "asset \(QuotedInput.quote(id)) belongs to organisation \(QuotedInput.quote(ownerOrg)); \(stub.creator.mspID) may not \(action) it"
            )
        }
    }

    /// The canonical stored form of a client's asset JSON: an object with a non-empty string
    /// `owner` and a `value`, plus `id` and `ownerOrg` set by the contract (never by the client).
    static func assetDocument(_ json: String, id: String, ownerOrg: String) throws -> Data {
        guard case .object(var fields)? = JSONDocument.parse(Data(json.utf8)) else {
            let why = JSONArgument.refusal(json, what: "the asset", integersOnly: false) ?? "the asset must be a JSON object"
            throw ChaincodeError.rejected(status: 400, message: "asset \(QuotedInput.quote(id)): \(why)")
        }
        guard let owner = fields["owner"]?.stringValue, !owner.isEmpty else {
            throw ChaincodeError.rejected(status: 400, message: "asset \(QuotedInput.quote(id)): \"owner\" must be a non-empty string")
        }
        guard fields["value"] != nil else {
            throw ChaincodeError.rejected(status: 400, message: "asset \(QuotedInput.quote(id)): \"value\" is missing")
        }
        fields["id"] = .string(id)
        fields["ownerOrg"] = .string(ownerOrg)
        return try JSONDocument.object(fields).encoded()
    }

    /// Stored JSON values as one JSON array, in the order given.
    static func jsonArray(_ values: [Data]) throws -> Data {
        try JSONDocument.array(values.map { JSONDocument.parse($0) ?? .null }).encoded()
    }
}
