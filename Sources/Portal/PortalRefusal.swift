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
            let (status, title) = Self.answer(to: rpc.code)
            self.init(status: status, title: title, message: rpc.message)
        default:
            self.init(status: .internalServerError, title: "The portal failed", message: "\(type(of: error)): \(error)")
        }
    }

    /// The HTTP status and the page title of a gRPC status from the node.
    private static func answer(to code: RPCError.Code) -> (HTTPResponse.Status, String) {
        switch code {
        case .permissionDenied, .unauthenticated: (.forbidden, "Refused by the ledger")
        case .notFound: (.notFound, "Not found on the ledger")
        case .invalidArgument, .outOfRange: (.badRequest, "The node refused the request")
        case .alreadyExists, .aborted, .failedPrecondition: (.conflict, "In conflict with the ledger")
        case .unavailable: (.badGateway, "The node is unavailable")
        case .deadlineExceeded: (.gatewayTimeout, "The node did not answer in time")
        default: (.internalServerError, "The node failed")
        }
    }
}
