internal import Foundation

/// A submitted form: `application/x-www-form-urlencoded` or `multipart/form-data` (files), decoded
/// once by the gate (which checks its CSRF token) and read by the route.
struct PortalForm: Sendable {
    /// An uploaded file.
    struct File: Sendable {
        var filename: String
        var data: Data
    }

    private(set) var fields: [String: [String]] = [:]
    private(set) var files: [String: File] = [:]

    /// The first value of `name`, trimmed; nil if absent or empty.
    subscript(name: String) -> String? {
        guard let value = fields[name]?.first?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Every non-empty value of `name` (checkboxes, multi-selects).
    func values(_ name: String) -> [String] {
        (fields[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    func file(_ name: String) -> File? { files[name] }

    init() {}

    /// Decodes `body` by its `contentType`; throws naming what is malformed.
    init(body: Data, contentType: String) throws {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        switch parts.first?.lowercased() {
        case "application/x-www-form-urlencoded":
            self.init(urlEncoded: String(decoding: body, as: UTF8.self))
        case "multipart/form-data":
            guard let boundary = parts.dropFirst().first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) else {
                throw PortalFormError.malformed("multipart/form-data without a boundary")
            }
            try self.init(multipart: body, boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        default:
            throw PortalFormError.malformed("a form must be application/x-www-form-urlencoded or multipart/form-data, not \(contentType)")
        }
    }

    /// `a=1&b=two+words&c=%3C`: `+` is a space, `%XX` a byte.
    init(urlEncoded text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.percentDecoded(parts[0]) else { continue }
            fields[name, default: []].append(parts.count > 1 ? Self.percentDecoded(parts[1]) ?? "" : "")
        }
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// RFC 7578: parts separated by `--boundary`, each with a Content-Disposition naming the field
    /// (and the file name of a file).
    init(multipart body: Data, boundary: String) throws {
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n--\(boundary)".utf8)
        guard let first = body.range(of: delimiter) else { throw PortalFormError.malformed("the multipart body has no boundary line") }
        var position = first.upperBound
        while true {
            guard body.count >= position + 2 else { throw PortalFormError.malformed("the multipart body ends without a closing boundary") }
            if body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { return }
            guard let headersEnd = body.range(of: Data("\r\n\r\n".utf8), in: position..<body.endIndex),
                let next = body.range(of: separator, in: headersEnd.upperBound..<body.endIndex)
            else { throw PortalFormError.malformed("a multipart part is not closed by its boundary") }
            let headers = String(decoding: body[position..<headersEnd.lowerBound], as: UTF8.self)
            let disposition = Self.dispositionParameters(headers)
            guard let name = disposition["name"] else { throw PortalFormError.malformed("a multipart part has no Content-Disposition name") }
            let content = Data(body[headersEnd.upperBound..<next.lowerBound])
            if let filename = disposition["filename"] {
                files[name] = File(filename: filename, data: content)
            } else {
                fields[name, default: []].append(String(decoding: content, as: UTF8.self))
            }
            position = next.upperBound
        }
    }

    /// The quoted parameters of a part's `Content-Disposition: form-data; name="…"; filename="…"`.
    private static func dispositionParameters(_ headers: String) -> [String: String] {
        guard let line = headers.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }) else { return [:] }
        var parameters: [String: String] = [:]
        for item in line.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            parameters[key] = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return parameters
    }
}

/// A form the portal cannot read.
enum PortalFormError: Error, CustomStringConvertible {
    case malformed(String)

    var description: String {
        switch self {
        case .malformed(let why): why
        }
    }
}
