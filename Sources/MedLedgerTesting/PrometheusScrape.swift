public import Foundation

#if canImport(FoundationNetworking)
public import FoundationNetworking
#endif

/// One scrape of a node's Prometheus endpoint, read back sample by sample.
public struct PrometheusScrape: Sendable {
    public let text: String
    /// The response's Content-Type.
    public let contentType: String?

    public init(text: String, contentType: String? = nil) {
        self.text = text
        self.contentType = contentType
    }

    /// `GET http://127.0.0.1:port/metrics`.
    public static func fetch(port: Int) async throws -> PrometheusScrape {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw ProcessFailure(description: "GET /metrics on port \(port) answered \(String(describing: response))")
        }
        return PrometheusScrape(text: String(decoding: data, as: UTF8.self), contentType: http.value(forHTTPHeaderField: "Content-Type"))
    }

    /// The sum of the samples named `name` whose labels include `labels`; nil if there is none.
    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        var found: [Double] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let series = line[..<space]
            let sampleName = series.split(separator: "{", maxSplits: 1).first.map(String.init) ?? ""
            guard sampleName == name, labels.allSatisfy({ series.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            found.append(value)
        }
        return found.isEmpty ? nil : found.reduce(0, +)
    }
}
