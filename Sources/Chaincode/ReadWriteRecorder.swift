import Foundation
import LedgerCore
import Schema

/// What one simulation read and wrote, kept in the shape the validator checks: each point read
/// once with the version first seen, range scans with every key and version returned, and one
/// write per key (the last).
struct ReadWriteRecorder {
    private var readOrder: [String] = []
    private var readVersions: [String: Medledger_V1_Version?] = [:]
    private var ranges: [Medledger_V1_RangeQueryInfo] = []
    private var writes: [String: Data?] = [:]

    /// Records a point read of `key`; `version` nil means the key did not exist.
    mutating func recordRead(_ key: String, version: Medledger_V1_Version?) {
        guard readVersions[key] == nil else { return }
        readVersions[key] = .some(version)
        readOrder.append(key)
    }

    /// Records a range scan of `[start, end)` that returned `entries`.
    mutating func recordRange(start: String, end: String, exhausted: Bool, entries: [StateEntry]) {
        var info = Medledger_V1_RangeQueryInfo()
        info.startKey = start
        info.endKey = end
        info.itrExhausted = exhausted
        info.reads = entries.map { Self.read($0.key, version: $0.version) }
        ranges.append(info)
    }

    /// Records a write of `key`; a nil `value` deletes it. A later write of the same key replaces this one.
    mutating func recordWrite(_ key: String, value: Data?) {
        writes[key] = .some(value)
    }

    /// The read-write set for `namespace`, or nil if nothing was read or written.
    func readWriteSet(namespace: String) -> Medledger_V1_ReadWriteSet? {
        guard !readOrder.isEmpty || !ranges.isEmpty || !writes.isEmpty else { return nil }
        var set = Medledger_V1_ReadWriteSet()
        set.namespace = namespace
        set.reads = readOrder.map { Self.read($0, version: readVersions[$0] ?? nil) }
        set.rangeQueries = ranges
        set.writes = writes.keys.sorted(by: StateKeyOrder.precedes).map { key in
            var write = Medledger_V1_KVWrite()
            write.key = key
            if let value = writes[key] ?? nil {
                write.value = value
            } else {
                write.isDelete = true
            }
            return write
        }
        return set
    }

    private static func read(_ key: String, version: Medledger_V1_Version?) -> Medledger_V1_KVRead {
        var read = Medledger_V1_KVRead()
        read.key = key
        read.version = version
        return read
    }
}
