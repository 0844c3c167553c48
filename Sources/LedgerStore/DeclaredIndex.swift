internal import Foundation
internal import GRDB
public import LedgerCore
internal import Wire

extension LedgerStore {
    /// Creates (once; later calls are no-ops) an index on the JSON field `field` (dotted path) of
    /// the values in `namespace`, so rich queries comparing that field search instead of scanning.
    /// Field names are letters, digits, `_` and `.` only; anything else is `invalidQuery`.
    public func declareIndex(namespace: String, field: String) throws(LedgerError) {
        let components = field.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let valid = field.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == ".") }
        guard valid, !components.contains(where: \.isEmpty), let expression = RichQuerySQL.indexedExpression(components) else {
            throw .invalidQuery("cannot index field \(QuotedInput.quote(field)): use letters, digits, '_' and '.' between non-empty names")
        }
        let namespaceBytes = Data(namespace.utf8)
        let name = "state_json_\(field.replacingOccurrences(of: ".", with: "_"))_\(Self.fnv1a(namespaceBytes + [0] + Data(field.utf8)))"
        // DDL takes no bound arguments: the namespace goes in as a hex BLOB literal (or '' for the
        // empty one, as SQLBytes binds it), never as its text.
        let namespaceLiteral = namespaceBytes.isEmpty ? "''" : "X'" + namespaceBytes.map { String(format: "%02x", $0) }.joined() + "'"
        let sql = "CREATE INDEX \(name) ON state (\(expression)) WHERE namespace = \(namespaceLiteral)"
        try state.file.write { db in
            if let existing = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name]) {
                guard existing == sql else { throw LedgerError.storage("state.sqlite: index \(name) exists with another definition") }
                return
            }
            try db.execute(sql: sql)
        }
    }

    /// SQLite's plan for a rich query, for tests that check a declared index is used.
    func queryPlan(namespace: String, _ query: RichQuery) throws(LedgerError) -> String {
        let (sql, arguments) = StateSnapshot.querySQL(namespace: namespace, query, after: "")
        return try state.file.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }.joined(separator: "\n")
        }
    }

    /// 64-bit FNV-1a, hex: a stable, short index-name suffix telling namespaces apart.
    static func fnv1a(_ bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
