import Foundation
import Testing
import LedgerCore
import Schema
@testable import LedgerStore

/// A state implementation under test; the SQLite one lives in a temporary directory that is
/// removed with the subject.
final class Subject: @unchecked Sendable {
    let state: any StateReader & StateWriter
    let directory: URL?

    init(_ backend: Backend) throws {
        switch backend {
        case .memory:
            state = InMemoryState()
            directory = nil
        case .sqlite:
            let directory = temporaryDirectory()
            state = try LedgerStore(directory: directory, durability: .normal)
            self.directory = directory
        }
    }

    deinit {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }
}

/// The implementations every conformance case runs on.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case memory, sqlite
    var testDescription: String { rawValue }
}

func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("ledgerstore-\(UUID().uuidString)")
}

func version(_ block: UInt64, _ tx: UInt64) -> Medledger_V1_Version {
    var version = Medledger_V1_Version()
    version.blockNum = block
    version.txNum = tx
    return version
}

func timestamp(_ seconds: Int64, _ nanos: Int32 = 0) -> Medledger_V1_Timestamp {
    var timestamp = Medledger_V1_Timestamp()
    timestamp.seconds = seconds
    timestamp.nanos = nanos
    return timestamp
}

/// A write of `value` (nil deletes) by transaction `tx` of `block`.
func put(_ namespace: String, _ key: String, _ value: String?, block: UInt64, tx: UInt64 = 0, txID: String? = nil) -> StateUpdate.Write {
    StateUpdate.Write(
        namespace: namespace, key: key, value: value.map { Data($0.utf8) }, version: version(block, tx),
        txID: txID ?? "tx-\(block)-\(tx)", timestamp: timestamp(Int64(1_700_000_000 + block), Int32(tx))
    )
}

func location(_ block: UInt64, _ position: UInt64, _ code: Medledger_V1_TxValidationCode = .valid) -> TransactionLocation {
    TransactionLocation(blockNumber: block, position: position, code: code)
}

/// A block with `count` opaque transactions; its `StateUpdate` is derived by `derive` below.
func makeBlock(_ number: UInt64, transactions count: Int = 2) -> Medledger_V1_Block {
    var header = Medledger_V1_BlockHeader()
    header.number = number
    header.previousHash = Data(repeating: UInt8(truncatingIfNeeded: number), count: 32)
    var data = Medledger_V1_BlockData()
    data.data = (0..<count).map { Data("block \(number) tx \($0)".utf8) }
    var block = Medledger_V1_Block()
    block.header = header
    block.data = data
    return block
}

/// A deterministic derivation for tests: transaction i of block n writes key "k\(i)" and records its ID.
func derive(_ block: Medledger_V1_Block) -> StateUpdate {
    let number = block.header?.number ?? 0
    var update = StateUpdate(blockNumber: number)
    for (index, payload) in (block.data?.data ?? []).enumerated() {
        let txID = "tx-\(number)-\(index)"
        update.writes.append(put("ns", "k\(index)", String(decoding: payload, as: UTF8.self), block: number, tx: UInt64(index), txID: txID))
        update.transactions.append(.init(txID: txID, location: location(number, UInt64(index))))
    }
    return update
}
