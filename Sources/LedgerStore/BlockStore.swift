public import Foundation
internal import GRDB
public import LedgerCore
public import Schema
internal import Wire

/// The channel's chain in `blocks.sqlite`: the exact encoding of every block, by number. It is
/// the source of truth; appends are strictly sequential and each one is a single durable commit.
public final class BlockStore: Sendable {
    let file: SQLiteFile
    /// Where `blocks.sqlite` is (failpoints can be armed for one directory tree).
    let directory: String

    /// Opens or creates `blocks.sqlite` in `directory`, committing with the given durability.
    public init(directory: URL, durability: Durability) throws(LedgerError) {
        self.directory = directory.standardizedFileURL.path
        file = try SQLiteFile(directory: directory, name: "blocks.sqlite", synchronous: durability, migrator: Self.migrator)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "CREATE TABLE block (number INTEGER PRIMARY KEY, bytes BLOB NOT NULL)")
        }
        return migrator
    }

    /// The number of stored blocks, which is also the number the next block must carry.
    public func height() throws(LedgerError) -> UInt64 {
        try file.read { db in try Self.height(db) }
    }

    /// Appends `block` (encoded once, stored byte for byte); it must be block number `height()`.
    public func append(_ block: Medledger_V1_Block) throws(LedgerError) {
        try append(number: (block.header?.number ?? 0), bytes: block.serializedData())
    }

    /// Appends an already encoded block whose header carries `number`; rejects any number but
    /// the next with `outOfOrderBlock` and writes nothing then.
    public func append(number: UInt64, bytes: Data) throws(LedgerError) {
        try file.write { db in
            let expected = try Self.height(db)
            guard number == expected else { throw LedgerError.outOfOrderBlock(expected: expected, got: number) }
            try db.cachedStatement(sql: "INSERT INTO block (number, bytes) VALUES (?, ?)")
                .execute(arguments: [Int64(storing: number), SQLBytes.argument(bytes)])
        }
        if Failpoints.fires(Failpoints.blockSync, at: directory) {
            throw .storage("blocks.sqlite: fsync failed after block \(number) was written (failpoint \(Failpoints.blockSync))")
        }
    }

    /// The exact stored encoding of block `number`, or nil past the end of the chain.
    public func blockBytes(_ number: UInt64) throws(LedgerError) -> Data? {
        try file.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM block WHERE number = ?"), arguments: [Int64(storing: number)])
                .map { SQLBytes.data($0, 0) }
        }
    }

    /// Block `number` decoded, or nil past the end; an undecodable stored block is `corrupted`.
    public func block(_ number: UInt64) throws(LedgerError) -> Medledger_V1_Block? {
        guard let bytes = try blockBytes(number) else { return nil }
        return try Self.decode(number, bytes)
    }

    /// Calls `body` with each stored block numbered `from` and up, in order, reading them one at a
    /// time from one consistent snapshot, so a replay or verification never holds the chain in memory.
    public func forEachBlock(from start: UInt64, _ body: (UInt64, Data) throws -> Void) throws(LedgerError) {
        try file.read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT number, bytes FROM block WHERE number >= ? ORDER BY number", arguments: [Int64(storing: start)]
            )
            while let row = try rows.next() {
                try body(UInt64(stored: row[0]), SQLBytes.data(row, 1))
            }
        }
    }

    static func height(_ db: Database) throws -> UInt64 {
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(number) FROM block"))
        return last.map { UInt64(stored: $0) + 1 } ?? 0
    }

    static func decode(_ number: UInt64, _ bytes: Data) throws(LedgerError) -> Medledger_V1_Block {
        do {
            let block = try Medledger_V1_Block(serializedData: bytes, options: .init(maxMessageSize: .max))
            guard (block.header?.number ?? 0) == number else {
                throw LedgerError.corrupted(block: number, reason: "stored block says it is number \((block.header?.number ?? 0))")
            }
            return block
        } catch let error as LedgerError { throw error } catch {
            throw .corrupted(block: number, reason: "stored block does not decode: \(error)")
        }
    }
}
