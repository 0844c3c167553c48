internal import EHRModel
internal import GRPCCore
internal import HTTPTypes
internal import Hummingbird
internal import MedLedgerKit

/// A request the portal answers with an error page: the status and what was wrong, in words.
struct PortalRefusal: Error {
    var status: HTTPResponse.Status
    var title: String
    var message: String

    init(status: HTTPResponse.Status, title: String, message: String) {
        self.status = status
        self.title = title
        self.message = message
    }

    static func badRequest(_ message: String) -> PortalRefusal { PortalRefusal(status: .badRequest, title: "Bad request", message: message) }
    static func notFound(_ message: String) -> PortalRefusal { PortalRefusal(status: .notFound, title: "Not found", message: message) }
    static func forbidden(_ message: String) -> PortalRefusal { PortalRefusal(status: .forbidden, title: "Forbidden", message: message) }

    /// The page for any error a route throws: the ledger's refusals keep their meaning (a denied
    /// call is 403 with the ledger's reason), a node that does not answer is 502.
    init(_ error: any Error) {
        switch error {
        case let refusal as PortalRefusal:
            self = refusal
        case let http as HTTPError:
            self.init(status: http.status, title: http.status.reasonPhrase, message: http.body ?? "\(http.status.code) \(http.status.reasonPhrase)")
        case let form as PortalFormError:
            self = .badRequest(form.description)
        case let records as HealthRecordsError:
            switch records {
            case .invalidArgument, .unusableKey: self = .badRequest(records.description)
            default: self.init(status: .badGateway, title: "The ledger's answer could not be used", message: records.description)
            }
        case let rpc as RPCError:
            self.init(status: Self.status(of: rpc.code), title: "The node refused: \(rpc.code)", message: rpc.message)
        default:
            self.init(status: .internalServerError, title: "The portal failed", message: "\(type(of: error)): \(error)")
        }
    }

    private static func status(of code: RPCError.Code) -> HTTPResponse.Status {
        switch code {
        case .permissionDenied, .unauthenticated: .forbidden
        case .notFound: .notFound
        case .invalidArgument, .outOfRange: .badRequest
        case .alreadyExists, .aborted, .failedPrecondition: .conflict
        case .unavailable: .badGateway
        case .deadlineExceeded: .gatewayTimeout
        default: .internalServerError
        }
    }
}
