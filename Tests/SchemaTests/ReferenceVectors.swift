import Foundation
import Schema
import Wire

/// The vectors `Oracles/make_vectors.py` writes with Python protobuf as the oracle, generated once
/// per test run (seeded, so every run sees the same values).
struct ReferenceVectors: Sendable {
    struct Entry: Decodable, Sendable {
        var type: String
        var file: String
        var json: String?
        var kind: String
        var order: String
        var nul_in_string: Bool?
        var map_default_entry: Bool?
        var nan: Bool?

        /// Python writes PBNode's Data before Links; dag-pb (and MedLedger) write Links first.
        var bytesComparable: Bool { order == "field_number" }
    }

    private struct Index: Decodable {
        var vectors: [Entry]
    }

    let directory: URL
    let entries: [Entry]

    static let shared: Result<ReferenceVectors, any Error> = Result {
        let directory = try Oracle.temporaryDirectory("vectors")
        let script = Oracle.oracleDirectory.appending(path: "make_vectors.py").path
        _ = try Oracle.require("python3", [script, directory.path, "--seed", "1", "--count-per-type", "25"])
        let index = try JSONDecoder().decode(Index.self, from: Data(contentsOf: directory.appending(path: "index.json")))
        return ReferenceVectors(directory: directory, entries: index.vectors)
    }

    func bytes(of entry: Entry) throws -> Data {
        try Data(contentsOf: directory.appending(path: entry.file))
    }

    func jsonText(of entry: Entry) throws -> String? {
        guard let json = entry.json else { return nil }
        return try String(contentsOf: directory.appending(path: json), encoding: .utf8)
    }

    static func messageType(_ name: String) throws -> any Wire.Message.Type {
        guard let type = MessageRegistry.messageType(named: name) else {
            throw OracleFailure(description: "no generated Swift type for \(name)")
        }
        return type
    }
}
