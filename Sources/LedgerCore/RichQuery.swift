/// A rich query over JSON state values, in the shape of CouchDB's Mango selectors (the language
/// Fabric chaincode uses with `GetQueryResult`): `{"selector": {"owner": "alice", "size": {"$gt": 5}}}`.
///
/// Parsed once; evaluated in memory by `matches(_:)` and translated to SQLite JSON1 by the store.
public struct RichQuery: Sendable, Equatable {
    /// The selector's conditions, all of which must hold.
    public var conditions: [Condition]

    /// One condition of a selector.
    public indirect enum Condition: Sendable, Equatable {
        case compare(path: [String], op: Operator, value: SelectorValue)
        case isIn(path: [String], values: [SelectorValue], negated: Bool)
        case exists(path: [String], Bool)
        case and([Condition])
        case or([Condition])
        case not(Condition)
    }

    /// A comparison operator.
    public enum Operator: String, Sendable, Equatable {
        case eq = "$eq", ne = "$ne", gt = "$gt", gte = "$gte", lt = "$lt", lte = "$lte"
    }

    public init(conditions: [Condition]) {
        self.conditions = conditions
    }
}

/// A JSON scalar a selector compares against.
public enum SelectorValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
}
