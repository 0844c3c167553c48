internal import Foundation
internal import Hummingbird
internal import HummingbirdCore

/// The kick-off parameters of a Bulk Data export (IG v2 §"Query Parameters"): `_outputFormat`
/// (NDJSON only), `_type` (resource types, comma-separated, repeatable), `_since` (a FHIR
/// instant). Other parameters are ignored, or refused under `Prefer: handling=strict`, as the IG
/// allows.
struct ExportParameters: Equatable {
    /// The requested types; nil means every type the token's scopes open.
    let types: Set<String>?
    /// Only records added at or after this instant.
    let since: Date?

    static let supported: Set<String> = ["_outputFormat", "_type", "_since"]

    init(_ query: FlatDictionary<Substring, Substring>, strict: Bool, exportable: Set<String>) throws(FHIRRefusal) {
        if strict, let unknown = query.map({ String($0.key) }).first(where: { !Self.supported.contains($0) }) {
            throw FHIRRefusal(status: .badRequest, code: "not-supported", diagnostics: "parameter \(unknown) is not supported (Prefer: handling=strict)")
        }
        for format in query[values: "_outputFormat"] where !BulkDataService.outputFormats.contains(String(format)) {
            throw .invalid("_outputFormat \(format) is not supported: only application/fhir+ndjson")
        }
        let named = query[values: "_type"].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        if let unknown = named.first(where: { !exportable.contains($0) }) {
            throw .invalid("_type \(unknown) is not a resource type a research export carries (\(exportable.sorted().joined(separator: ", ")))")
        }
        types = named.isEmpty ? nil : Set(named)
        let sinceValues = query[values: "_since"]
        guard sinceValues.count <= 1 else { throw .invalid("_since may be given once") }
        since = try sinceValues.first.map { value throws(FHIRRefusal) in
            guard let date = Self.instant(String(value)) else {
                throw .invalid("_since \(value) is not a FHIR instant such as 2025-01-01T00:00:00Z")
            }
            return date
        }
    }

    /// A FHIR `instant`: a full date and time with seconds and a zone, fractions optional.
    static func instant(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions.insert(.withFractionalSeconds)
        return plain.date(from: text) ?? fractional.date(from: text)
    }
}
