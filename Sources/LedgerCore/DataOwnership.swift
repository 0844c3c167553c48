public import Foundation
public import Schema
internal import Wire

/// Which organisations own the data a transaction touches, by the channel's `DataOwnerRule`s
/// (e.g. `ehr`: each patient's home organisation). A peer of every owner must endorse the
/// transaction on top of its chaincode's endorsement policy, so the organisation that keeps a
/// patient's records and keys also executes and signs every decision about them.
public enum DataOwnership {
    /// Why the owners of a transaction's data cannot be named.
    public struct Unnamed: Error, CustomStringConvertible {
        public let description: String
    }

    /// The owners of what `sets` read (keys that exist, by their committed value in `state`) or
    /// write (by the written value), under those of `rules` that cover each set's namespace.
    /// Throws `Unnamed` for an owned key whose value names no owner.
    public static func owners(
        under rules: [Medledger_V1_DataOwnerRule], of sets: [Medledger_V1_ReadWriteSet], state: some StateReader
    ) throws -> Set<String> {
        var owners: Set<String> = []
        for set in sets {
            let covering = rules.filter { $0.chaincode == set.namespace }
            guard !covering.isEmpty else { continue }
            for rule in covering {
                for read in set.reads where read.version != nil && rule.owns(read.key) {
                    guard let committed = try state.get(namespace: set.namespace, key: read.key) else { continue }
                    owners.insert(try rule.owner(of: committed.value, key: read.key))
                }
                for write in set.writes where !write.isDelete && rule.owns(write.key) {
                    owners.insert(try rule.owner(of: write.value, key: write.key))
                }
            }
        }
        return owners
    }
}

extension Medledger_V1_DataOwnerRule {
    /// A rule: keys of composite-key `objectType` in `chaincode` are owned by the organisation in
    /// their value's JSON field `ownerField`.
    public init(chaincode: String, objectType: String, ownerField: String) {
        self.init()
        self.chaincode = chaincode
        self.objectType = objectType
        self.ownerField = ownerField
    }

    /// True if `key` is a composite key of the rule's object type (U+0000 type U+0000 …).
    func owns(_ key: String) -> Bool {
        key.utf8.starts(with: [0] + Array(objectType.utf8) + [0])
    }

    /// The owner's MSP ID that `value` names.
    func owner(of value: Data, key: String) throws -> String {
        guard case .object(let fields)? = JSONDocument.parse(value), let owner = fields[ownerField]?.stringValue, !owner.isEmpty else {
            throw DataOwnership.Unnamed(
                description: "the value of \(objectType) key \(QuotedInput.quote(key)) in \(chaincode) names no owner in JSON field \(ownerField)")
        }
        return owner
    }

    /// What `channel show` prints: `ehr: patient.mspID`.
    public var summary: String { "\(chaincode): \(objectType).\(ownerField)" }
}
