internal import EHRModel
internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import Mustache
internal import NIOCore

/// Renders the portal's pages: Mustache templates compiled into the binary, every value HTML-escaped
/// by `{{…}}` (the templates use no triple mustaches), inside one layout with the user's menu.
struct PortalPages: Sendable {
    let library: MustacheLibrary
    let user: Reader

    init(user: Reader) throws {
        var library = MustacheLibrary()
        for (name, text) in PortalTemplates.all {
            library.register(try MustacheTemplate(string: text), named: name)
        }
        self.library = library
        self.user = user
    }

    /// `template` inside the layout, as a 200 HTML page (or `status`).
    func page(
        _ template: String, title: String, screen: PortalScreen?, csrfToken: String, data: [String: Any] = [:],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = data
        values["title"] = title
        // A browser without a session learns nothing of whose portal this is.
        if !csrfToken.isEmpty {
            values["csrf"] = csrfToken
            values["user"] = ["mspID": user.mspID, "enrollmentID": user.enrollmentID, "role": user.role]
            values["nav"] = user.screens.map { ["path": $0.path, "label": $0.label, "current": $0 == screen] }
            if user.role == "patient" { values["alertsStream"] = "/alerts" }
        }
        let html = library.render(values, withTemplate: template) ?? "template \(template) is missing"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page of a refused or failed request.
    func errorPage(_ refusal: PortalRefusal, csrfToken: String) -> Response {
        var response = page(
            "error", title: refusal.title, screen: nil, csrfToken: csrfToken,
            data: ["message": refusal.message, "status": Int(refusal.status.code), "signedIn": !csrfToken.isEmpty], status: refusal.status)
        if refusal.status == .unauthorized { response.headers[.wwwAuthenticate] = "Cookie realm=\"medledger-portal\"" }
        return response
    }

    /// 303 to `path` (after a form: reloading the page does not send it again).
    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }

    /// A download: `data` as an attachment named `filename`.
    static func download(_ data: Data, filename: String, contentType: String) -> Response {
        let safeName = filename.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(String(safeName))\""],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// How the pages write values.
enum PortalFormat {
    /// Unix seconds as "2026-12-07 00:32:06 UTC".
    static func time(_ seconds: Int64?) -> String {
        guard let seconds else { return "—" }
        return time(Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Unix seconds as a machine-readable time (`<time datetime>`): "2026-12-07T00:32:06Z".
    static func datetime(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
    }

    static func time(_ date: Date) -> String {
        date.ISO8601Format().replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    /// A date field (`YYYY-MM-DD`) as Unix seconds at 00:00 UTC (an end date's next day: "until"
    /// includes the day given, and a consent's end is the first second it no longer covers).
    static func day(_ text: String?, field: String) throws -> Int64? {
        guard let text else { return nil }
        guard let date = try? Date("\(text)T00:00:00Z", strategy: .iso8601) else {
            throw PortalRefusal.badRequest("\(field) must be a date YYYY-MM-DD, not \(text)")
        }
        return Int64(date.timeIntervalSince1970)
    }

    /// `text` as one path segment of a link.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `data` as indented JSON when it is JSON (a FHIR resource), else as text.
    static func prettyJSON(_ data: Data) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .withoutEscapingSlashes])
        else { return String(decoding: data, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// The first `count` hex digits of a hash, for tables.
    static func short(_ hex: String, _ count: Int = 12) -> String {
        String(hex.prefix(count))
    }
}
