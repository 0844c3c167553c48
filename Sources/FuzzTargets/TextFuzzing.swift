internal import Foundation
internal import LedgerCore
internal import ProtoCompiler
internal import Wire

/// Fuzzing of the text parsers: JSON (two parsers), rich queries and proto3 sources.
enum TextFuzzing {
    static func jsonDocument(_ data: Data) {
        guard let document = JSONDocument.parse(data) else { return }
        guard let encoded = try? document.encoded() else { return }
        precondition(JSONDocument.parse(encoded) != nil, "a parsed JSON document's encoding does not parse")
    }

    static func jsonValue(_ data: Data) {
        _ = try? JSONParser.parse(String(decoding: data, as: UTF8.self))
    }

    static func richQuery(_ data: Data) {
        _ = try? RichQuery(json: data)
    }

    static func proto3(_ data: Data) {
        _ = try? Parser.parse(source: String(decoding: data, as: UTF8.self), file: "fuzz.proto")
    }
}
