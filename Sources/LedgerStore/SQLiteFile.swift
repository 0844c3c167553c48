internal import Foundation
internal import GRDB
internal import LedgerCore

/// How hard a commit waits for the disk: `full` survives power loss (one fsync per commit),
/// `normal` survives a crash of the process but may lose the last commits on power loss.
public enum Durability: Sendable {
    /// `PRAGMA synchronous = FULL`: a returned commit is on disk.
    case full
    /// `PRAGMA synchronous = NORMAL`: WAL commits are flushed at checkpoints only.
    case normal

    var pragma: String {
        switch self {
        case .full: "FULL"
        case .normal: "NORMAL"
        }
    }
}

/// Opens one SQLite file of a store (creating its directory, mode 0700) as a WAL `DatabasePool` and maps every engine error to
/// `LedgerError.storage` naming the file, so callers see which database failed.
struct SQLiteFile: Sendable {
    let name: String
    let pool: DatabasePool

    init(directory: URL, name: String, synchronous: Durability, migrator: DatabaseMigrator) throws(LedgerError) {
        self.name = name
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.pragma)")
        }
        let path = directory.appendingPathComponent(name).path
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .storage("cannot create ledger directory \(directory.path) for \(name): \(error)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
        } catch {
            throw .storage("\(name) at \(path): \(error)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        try mapped { try pool.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        try mapped { try pool.write(body) }
    }

    func mapped<T>(_ body: () throws -> T) throws(LedgerError) -> T {
        do { return try body() } catch let error as LedgerError { throw error } catch {
            throw Self.isDiskFull(error) ? .diskFull(name) : .storage("\(name): \(error)")
        }
    }

    /// SQLITE_FULL: a write found no space on the device (SQLite rolls the transaction back).
    static func isDiskFull(_ error: any Error) -> Bool {
        (error as? DatabaseError)?.resultCode == .SQLITE_FULL
    }
}

/// Byte strings as SQLite arguments. A Swift `String` argument is cut at its first NUL by GRDB and
/// an empty `Data` binds as NULL, so keys go in as BLOBs, and the empty byte string as the TEXT
/// `''`: SQLite orders every TEXT before every BLOB, which is exactly where the empty key belongs
/// in byte order, and reading either back as `Data` gives the bytes.
enum SQLBytes {
    static func argument(_ string: String) -> any DatabaseValueConvertible {
        argument(Data(string.utf8))
    }

    static func argument(_ data: Data) -> any DatabaseValueConvertible {
        data.isEmpty ? "" : data
    }

    static func string(_ row: Row, _ column: Int) -> String {
        String(decoding: (row[column] as Data?) ?? Data(), as: UTF8.self)
    }

    static func data(_ row: Row, _ column: Int) -> Data {
        (row[column] as Data?) ?? Data()
    }
}

extension Int64 {
    /// Block and transaction numbers are `UInt64`; SQLite integers are signed, so they are stored
    /// by bit pattern (no real ledger reaches 2^63 blocks, so SQL order is unaffected).
    init(storing value: UInt64) { self.init(bitPattern: value) }
}

extension UInt64 {
    init(stored value: Int64) { self.init(bitPattern: value) }
}
