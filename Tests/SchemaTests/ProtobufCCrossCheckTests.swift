import Foundation
import Testing
import Wire

/// protobuf-c, built from `protoc-c` output for the same schema, decodes MedLedger's bytes for every
/// message and packs them again to identical bytes.
@Test func protobufCDecodesOurBytesAndReencodesIdentically() throws {
    let vectors = try ReferenceVectors.shared.get()
    let build = try Oracle.temporaryDirectory("protobuf-c")
    let script = Oracle.oracleDirectory.appending(path: "build_protobufc_oracle.sh").path
    _ = try Oracle.require("bash", [script, build.path])
    let oracle = build.appending(path: "pbc-roundtrip").path

    var failures: [String] = []
    var matched = 0
    // protobuf-c keeps strings as C strings (cut at NUL) and omits default keys/values inside map
    // entries; dag-pb's Links-first order is not field-number order. Those vectors are skipped.
    let comparable = vectors.entries.filter {
        $0.bytesComparable && $0.nul_in_string != true && $0.map_default_entry != true
    }
    for entry in comparable {
        let type = try ReferenceVectors.messageType(entry.type)
        let ours = try ourEncoding(type, try vectors.bytes(of: entry))
        let output = try Oracle.run(oracle, [entry.type], input: ours)
        if output.status != 0 {
            failures.append("\(entry.file): protobuf-c rejected our bytes: \(output.stderr)")
        } else if output.stdout != ours {
            failures.append("\(entry.file): protobuf-c re-encoded \(output.stdout.count) bytes, ours \(ours.count)")
        } else {
            matched += 1
        }
    }
    print("protobuf-c: \(matched) of \(comparable.count) comparable vectors round-tripped byte for byte")
    #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
    #expect(matched > 2000)
}

private func ourEncoding<M: Wire.Message>(_ type: M.Type, _ bytes: Data) throws -> Data {
    try M(serializedData: bytes).serializedData()
}
