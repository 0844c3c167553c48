internal import Foundation
internal import GRDB
internal import LedgerCore
internal import Schema

/// The derived stores in `state.sqlite`: current values, key history, the transaction index and
/// the savepoint (last applied block). Each block's update is one transaction, savepoint included,
/// so after a crash the state is exactly that of some block and replay resumes from the next one.
struct WorldState: Sendable {
    let file: SQLiteFile

    init(directory: URL, durability: Durability) throws(LedgerError) {
        file = try SQLiteFile(directory: directory, name: "state.sqlite", synchronous: durability, migrator: Self.migrator)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            // Keys and namespaces are BLOBs (see SQLBytes), so SQL order is the keys' UTF-8 byte order.
            try db.execute(
                sql: """
                    CREATE TABLE state (
                        namespace BLOB NOT NULL,
                        key BLOB NOT NULL,
                        value BLOB NOT NULL,
                        block_num INTEGER NOT NULL,
                        tx_num INTEGER NOT NULL,
                        escaped_nul INTEGER NOT NULL,
                        PRIMARY KEY (namespace, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX state_escaped_nul ON state (namespace, key) WHERE escaped_nul;
                    CREATE TABLE history (
                        id INTEGER PRIMARY KEY,
                        namespace BLOB NOT NULL,
                        key BLOB NOT NULL,
                        tx_id BLOB NOT NULL,
                        block_num INTEGER NOT NULL,
                        tx_num INTEGER NOT NULL,
                        seconds INTEGER NOT NULL,
                        nanos INTEGER NOT NULL,
                        is_delete INTEGER NOT NULL,
                        value BLOB NOT NULL
                    );
                    CREATE INDEX history_by_key ON history (namespace, key, id);
                    CREATE TABLE tx_index (
                        tx_id BLOB PRIMARY KEY,
                        block_num INTEGER NOT NULL,
                        position INTEGER NOT NULL,
                        code INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE savepoint (id INTEGER PRIMARY KEY CHECK (id = 1), block_num INTEGER NOT NULL);
                    """
            )
        }
        return migrator
    }

    static func lastApplied(_ db: Database) throws -> UInt64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT block_num FROM savepoint WHERE id = 1")).map(UInt64.init(stored:))
    }

    /// True if `value` may hold a JSON string with `\u0000`, which SQLite's JSON functions cut
    /// short; rich queries judge such rows in Swift only (see `StateSnapshot.query`).
    static func hasEscapedNUL(_ value: Data) -> Bool {
        value.range(of: escapedNUL) != nil
    }

    private static let escapedNUL = Data(#"\u0000"#.utf8)

    /// Applies one block's update in one transaction; rejects any block but the next one.
    func apply(_ update: StateUpdate) throws(LedgerError) {
        try file.write { db in
            let expected = try Self.lastApplied(db).map { $0 + 1 } ?? 0
            guard update.blockNumber == expected else {
                throw LedgerError.outOfOrderUpdate(expected: expected, got: update.blockNumber)
            }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO state (namespace, key, value, block_num, tx_num, escaped_nul) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (namespace, key) DO UPDATE SET
                        value = excluded.value, block_num = excluded.block_num, tx_num = excluded.tx_num,
                        escaped_nul = excluded.escaped_nul
                    """
            )
            let delete = try db.cachedStatement(sql: "DELETE FROM state WHERE namespace = ? AND key = ?")
            let record = try db.cachedStatement(
                sql: """
                    INSERT INTO history (namespace, key, tx_id, block_num, tx_num, seconds, nanos, is_delete, value)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for write in update.writes {
                let namespace = SQLBytes.argument(write.namespace)
                let key = SQLBytes.argument(write.key)
                let blockNum = Int64(storing: write.version.blockNum)
                let txNum = Int64(storing: write.version.txNum)
                if let value = write.value {
                    try upsert.execute(arguments: [namespace, key, SQLBytes.argument(value), blockNum, txNum, Self.hasEscapedNUL(value)])
                } else {
                    try delete.execute(arguments: [namespace, key])
                }
                try record.execute(arguments: [
                    namespace, key, SQLBytes.argument(write.txID), blockNum, txNum,
                    write.timestamp.seconds, write.timestamp.nanos, write.value == nil, SQLBytes.argument(write.value ?? Data()),
                ])
            }
            // A tx ID seen before keeps its first location, as a replayed duplicate must not move it.
            let index = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO tx_index (tx_id, block_num, position, code) VALUES (?, ?, ?, ?)"
            )
            for transaction in update.transactions {
                let location = transaction.location
                try index.execute(arguments: [
                    SQLBytes.argument(transaction.txID), Int64(storing: location.blockNumber),
                    Int64(storing: location.position), location.code.rawValue,
                ])
            }
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO savepoint (id, block_num) VALUES (1, ?)")
                .execute(arguments: [Int64(storing: update.blockNumber)])
        }
    }
}
