internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// A refusal of the FHIR endpoint: an HTTP status and a FHIR `OperationOutcome` whose one issue
/// says what was wrong, in the words the Bulk Data IG expects clients to show.
struct FHIRRefusal: Error, Equatable {
    let status: HTTPResponse.Status
    /// The FHIR issue type: `invalid`, `login`, `forbidden`, `not-found`, `not-supported`, `exception`…
    let code: String
    let diagnostics: String

    static func invalid(_ diagnostics: String) -> FHIRRefusal { FHIRRefusal(status: .badRequest, code: "invalid", diagnostics: diagnostics) }
    static func forbidden(_ diagnostics: String) -> FHIRRefusal { FHIRRefusal(status: .forbidden, code: "forbidden", diagnostics: diagnostics) }
    static func notFound(_ diagnostics: String) -> FHIRRefusal { FHIRRefusal(status: .notFound, code: "not-found", diagnostics: diagnostics) }
    static func unauthorized(_ diagnostics: String) -> FHIRRefusal { FHIRRefusal(status: .unauthorized, code: "login", diagnostics: diagnostics) }

    /// The response: `application/fhir+json`, and for a 401 the `WWW-Authenticate: Bearer` challenge.
    var response: Response {
        var response = FHIRJSON.response(status: status, contentType: FHIRJSON.fhirJSON, body: FHIRJSON.operationOutcome(code: code, diagnostics: diagnostics))
        if status == .unauthorized {
            response.headers[.wwwAuthenticate] = "Bearer realm=\"medledger\", error=\"invalid_token\""
        }
        return response
    }
}

/// An OAuth 2.0 token endpoint error (RFC 6749 §5.2): 400 with `{error, error_description}`.
struct OAuthRefusal: Error, Equatable {
    let error: String
    let description: String

    static func invalidClient(_ description: String) -> OAuthRefusal { OAuthRefusal(error: "invalid_client", description: description) }
    static func invalidRequest(_ description: String) -> OAuthRefusal { OAuthRefusal(error: "invalid_request", description: description) }

    var response: Response {
        var response = FHIRJSON.response(status: .badRequest, contentType: "application/json", body: ["error": error, "error_description": description])
        response.headers[.cacheControl] = "no-store"
        response.headers[.pragma] = "no-cache"
        return response
    }
}

/// JSON bodies of the FHIR endpoint.
enum FHIRJSON {
    static let fhirJSON = "application/fhir+json"
    static let ndjson = "application/fhir+ndjson"

    /// `value` as JSON with sorted keys and unescaped slashes.
    static func encode(_ value: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    static func response(status: HTTPResponse.Status, contentType: String, body: Any, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: encode(body))))
    }

    /// A FHIR `instant` in UTC with milliseconds: `2026-12-06T21:29:55.049Z`.
    static func instant(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    /// An HTTP date (RFC 9110 §5.6.7), as `Expires` takes it.
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// A FHIR R4 `OperationOutcome` with one issue.
    static func operationOutcome(code: String, diagnostics: String, severity: String = "error") -> [String: Any] {
        ["resourceType": "OperationOutcome", "issue": [["severity": severity, "code": code, "diagnostics": diagnostics]]]
    }
}

extension HTTPField.Name {
    static let pragma = HTTPField.Name("Pragma")!
    static let prefer = HTTPField.Name("Prefer")!
    static let xProgress = HTTPField.Name("X-Progress")!
}
