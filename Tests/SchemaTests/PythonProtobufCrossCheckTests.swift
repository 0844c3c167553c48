import Foundation
import Schema
import Testing
import Wire

/// Every message type against Python protobuf: decoding Python's bytes and re-encoding gives the
/// same bytes; Python's canonical JSON parses to the same value and encodes to the same bytes;
/// and our JSON is accepted by Python's `json_format` and means the same message.
@Suite struct PythonProtobufCrossCheckTests {
    @Test func everyMessageTypeHasVectors() throws {
        let vectors = try ReferenceVectors.shared.get()
        let covered = Set(vectors.entries.map(\.type))
        let generated = Set(MessageRegistry.messageTypes.map { $0.protoMessageName })
        #expect(covered == generated, "types without vectors: \(generated.subtracting(covered).sorted())")
    }

    @Test func pythonBytesDecodeAndReencodeIdentically() throws {
        let vectors = try ReferenceVectors.shared.get()
        var failures: [String] = []
        var byteExact = 0
        for entry in vectors.entries {
            let type = try ReferenceVectors.messageType(entry.type)
            do {
                if try Self.reencodes(type, try vectors.bytes(of: entry), exactly: entry.bytesComparable) { byteExact += 1 }
            } catch {
                failures.append("\(entry.file): \(error)")
            }
        }
        print("python vectors: \(vectors.entries.count) decoded, \(byteExact) re-encoded byte for byte")
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
        #expect(byteExact >= vectors.entries.count - 50)
    }

    @Test func pythonJSONParsesToTheSameMessage() throws {
        let vectors = try ReferenceVectors.shared.get()
        var failures: [String] = []
        var checked = 0
        for entry in vectors.entries where entry.json != nil && entry.nan != true {
            let type = try ReferenceVectors.messageType(entry.type)
            do {
                try Self.jsonMatches(type, json: try vectors.jsonText(of: entry)!, bytes: try vectors.bytes(of: entry), compareBytes: entry.bytesComparable)
                checked += 1
            } catch {
                failures.append("\(entry.file): \(error)")
            }
        }
        print("python JSON: \(checked) documents parsed to the same message")
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
        #expect(checked > 2000)
    }

    @Test func ourJSONIsAcceptedByPythonJSONFormat() throws {
        let vectors = try ReferenceVectors.shared.get()
        let ours = try Oracle.temporaryDirectory("ours-json")
        var written = 0
        for entry in vectors.entries where entry.kind == "valid" {
            let type = try ReferenceVectors.messageType(entry.type)
            let json = try Self.jsonText(type, try vectors.bytes(of: entry))
            try json.write(to: ours.appending(path: entry.file + ".json"), atomically: false, encoding: .utf8)
            written += 1
        }
        let script = Oracle.oracleDirectory.appending(path: "check_json.py").path
        let output = try Oracle.run("python3", [script, vectors.directory.path, ours.path])
        let summary = String(decoding: output.stdout, as: UTF8.self)
        print("our JSON checked by python json_format: \(summary.prefix(200))")
        #expect(output.status == 0, "\(summary.prefix(2000)) \(output.stderr.suffix(2000))")
        #expect(summary.contains("\"checked\": \(written)"))
    }

    // MARK: Generic checks, opened per message type

    /// Decodes, re-encodes, and checks the round trip; returns whether the bytes matched exactly.
    static func reencodes<M: Wire.Message>(_ type: M.Type, _ bytes: Data, exactly: Bool) throws -> Bool {
        let message = try M(serializedData: bytes)
        let encoded = message.serializedData()
        if exactly {
            guard encoded == bytes else {
                throw OracleFailure(description: "re-encoded \(encoded.count) bytes differ from Python's \(bytes.count)")
            }
            return true
        }
        guard try M(serializedData: encoded) == message else {
            throw OracleFailure(description: "re-encoded value decodes to a different message")
        }
        return false
    }

    static func jsonMatches<M: Wire.Message>(_ type: M.Type, json: String, bytes: Data, compareBytes: Bool) throws {
        let fromJSON = try M(jsonString: json)
        let fromBytes = try M(serializedData: bytes)
        guard fromJSON == fromBytes else {
            throw OracleFailure(description: "JSON value differs from binary value: \(fromJSON.jsonString().prefix(300))")
        }
        if compareBytes, fromJSON.serializedData() != bytes {
            throw OracleFailure(description: "value parsed from JSON encodes to different bytes")
        }
    }

    static func jsonText<M: Wire.Message>(_ type: M.Type, _ bytes: Data) throws -> String {
        try M(serializedData: bytes).jsonString()
    }
}
