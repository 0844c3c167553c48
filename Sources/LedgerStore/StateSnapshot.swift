internal import Foundation
internal import GRDB
internal import LedgerCore
internal import Schema

/// `StateReader` over one open read transaction of `state.sqlite`: every answer comes from the
/// same committed block. Valid only inside the `read` that created it.
struct StateSnapshot: StateReader {
    let db: Database

    func get(namespace: String, key: String) throws -> VersionedValue? {
        let statement = try db.cachedStatement(sql: "SELECT value, block_num, tx_num FROM state WHERE namespace = ? AND key = ?")
        return try Row.fetchOne(statement, arguments: [SQLBytes.argument(namespace), SQLBytes.argument(key)]).map { row in
            VersionedValue(value: SQLBytes.data(row, 0), version: Self.version(row, 1))
        }
    }

    func range(namespace: String, start: String, end: String, limit: Int) throws -> [StateEntry] {
        guard limit > 0 else { return [] }
        var sql = "SELECT key, value, block_num, tx_num FROM state WHERE namespace = ? AND key >= ?"
        var arguments: [any DatabaseValueConvertible] = [SQLBytes.argument(namespace), SQLBytes.argument(start)]
        if !end.isEmpty {
            sql += " AND key < ?"
            arguments.append(SQLBytes.argument(end))
        }
        sql += " ORDER BY key LIMIT ?"
        arguments.append(limit)
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: StatementArguments(arguments)).map(Self.entry)
    }

    func query(namespace: String, _ query: RichQuery, after bookmark: String, limit: Int) throws -> [StateEntry] {
        guard limit > 0 else { return [] }
        // Rows SQLite's JSON functions cannot judge (rare, found by a partial index) are checked in
        // Swift and merged, in key order, with the candidates of the translated query.
        var judgedInSwift = try Row.fetchAll(
            db.makeStatement(sql: Self.selection(after: bookmark) + " AND escaped_nul ORDER BY key"),
            arguments: StatementArguments(Self.leadingArguments(namespace, after: bookmark))
        ).map(Self.entry).filter { query.matches($0.value) }[...]
        let (sql, arguments) = Self.querySQL(namespace: namespace, query, after: bookmark)
        let rows = try Row.fetchCursor(db.makeStatement(sql: sql), arguments: arguments)
        var entries: [StateEntry] = []
        while entries.count < limit, let row = try rows.next() {
            let entry = Self.entry(row)
            while entries.count < limit, let next = judgedInSwift.first, StateKeyOrder.precedes(next.key, entry.key) {
                entries.append(judgedInSwift.removeFirst())
            }
            if entries.count < limit, query.matches(entry.value) { entries.append(entry) }
        }
        entries += judgedInSwift.prefix(limit - entries.count)
        return entries
    }

    static func selection(after bookmark: String) -> String {
        "SELECT key, value, block_num, tx_num FROM state WHERE namespace = ?1" + (bookmark.isEmpty ? "" : " AND key > ?2")
    }

    static func leadingArguments(_ namespace: String, after bookmark: String) -> [any DatabaseValueConvertible] {
        [SQLBytes.argument(namespace)] + (bookmark.isEmpty ? [] : [SQLBytes.argument(bookmark)])
    }

    /// The candidate rows of `query`, in key order; see `RichQuerySQL` for why they are rechecked.
    static func querySQL(namespace: String, _ query: RichQuery, after bookmark: String) -> (String, StatementArguments) {
        let translated = RichQuerySQL(query, after: leadingArguments(namespace, after: bookmark))
        var sql = selection(after: bookmark) + " AND NOT escaped_nul AND \(RichQuerySQL.isObject)"
        if let condition = translated.condition { sql += " AND \(condition)" }
        return (sql + " ORDER BY key", translated.arguments)
    }

    func history(namespace: String, key: String) throws -> [KeyModification] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT tx_id, block_num, tx_num, seconds, nanos, is_delete, value FROM history
                WHERE namespace = ? AND key = ? ORDER BY id
                """
        )
        return try Row.fetchAll(statement, arguments: [SQLBytes.argument(namespace), SQLBytes.argument(key)]).map { row in
            var timestamp = Medledger_V1_Timestamp()
            timestamp.seconds = row[3]
            timestamp.nanos = row[4]
            return KeyModification(
                txID: SQLBytes.string(row, 0), version: Self.version(row, 1), timestamp: timestamp,
                isDelete: row[5], value: SQLBytes.data(row, 6)
            )
        }
    }

    func transaction(_ txID: String) throws -> TransactionLocation? {
        let statement = try db.cachedStatement(sql: "SELECT block_num, position, code FROM tx_index WHERE tx_id = ?")
        return try Row.fetchOne(statement, arguments: [SQLBytes.argument(txID)]).map { row in
            TransactionLocation(
                blockNumber: UInt64(stored: row[0]), position: UInt64(stored: row[1]),
                code: Medledger_V1_TxValidationCode(rawValue: row[2])
            )
        }
    }

    func lastAppliedBlock() throws -> UInt64? {
        try WorldState.lastApplied(db)
    }

    /// Every current row, namespace → key → value, for comparing two stores.
    func allState() throws -> [String: [String: VersionedValue]] {
        var result: [String: [String: VersionedValue]] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT namespace, key, value, block_num, tx_num FROM state")
        while let row = try rows.next() {
            result[SQLBytes.string(row, 0), default: [:]][SQLBytes.string(row, 1)] =
                VersionedValue(value: SQLBytes.data(row, 2), version: Self.version(row, 3))
        }
        return result
    }

    static func entry(_ row: Row) -> StateEntry {
        StateEntry(key: SQLBytes.string(row, 0), value: SQLBytes.data(row, 1), version: version(row, 2))
    }

    static func version(_ row: Row, _ column: Int) -> Medledger_V1_Version {
        var version = Medledger_V1_Version()
        version.blockNum = UInt64(stored: row[column])
        version.txNum = UInt64(stored: row[column + 1])
        return version
    }
}
