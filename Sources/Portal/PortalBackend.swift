internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import Hummingbird
internal import MedLedgerKit
internal import Synchronization


/// What the routes share: the user, the SDK acting as them, the page renderer, and the little
/// the portal remembers between requests (the patient ID found for the identity, chain
/// verifications in progress, the last export of each study).
struct PortalBackend<Transport: ClientTransport>: Sendable {
    let user: Reader
    let records: HealthRecords<Transport>
    let client: GRPCClient<Transport>
    let pages: PortalPages
    let explorerChannels: [String]
    let verifications = ChainVerifications()
    let memory = PortalMemory()

    init(user: Reader, records: HealthRecords<Transport>, client: GRPCClient<Transport>, pages: PortalPages, explorerChannels: [String]) {
        self.user = user
        self.records = records
        self.client = client
        self.pages = pages
        self.explorerChannels = explorerChannels
    }

    func addRoutes(to router: Router<PortalContext>) {
        router.get("/") { [self] _, _ in
            PortalPages.redirect(to: user.screens.first?.path ?? "/explorer")
        }
        router.get("/assets/{name}") { request, _ in
            guard let response = PortalAssets.response(for: request.uri.path) else { throw PortalRefusal.notFound("no asset \(request.uri.path)") }
            return response
        }
        addRecordRoutes(to: router)
        addPatientRoutes(to: router)
        addClinicianRoutes(to: router)
        addResearchRoutes(to: router)
        addExplorerRoutes(to: router)
    }

    /// The patient ID the ledger registered for this identity, or nil if none yet.
    func patientID() async throws -> String? {
        if let known = memory.patientID.withLock({ $0 }) { return known }
        let own = try await records.patients().first { $0.mspID == user.mspID && $0.enrollmentID == user.enrollmentID }?.patientID
        memory.patientID.withLock { $0 = own }
        return own
    }

    /// A page of this user's.
    func page(
        _ template: String, _ title: String, _ screen: PortalScreen?, _ request: Request, _ context: PortalContext, _ data: [String: Any] = [:]
    ) -> Response {
        var data = data
        if let code = request.uri.queryParameters["done"], let notice = PortalNotices.texts[String(code)] { data["notice"] = notice }
        return pages.page(template, title: title, screen: screen, csrfToken: context.csrfToken, data: data)
    }

    /// A required form field, or 400 naming it.
    static func field(_ name: String, of form: PortalForm) throws -> String {
        guard let value = form[name] else { throw PortalRefusal.badRequest("the form field \(name) is required") }
        return value
    }

    /// Comma-separated values of a form field.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// "role id@org" as the ledger names a reader.
    static func name(_ reader: Reader) -> String { "\(reader.role) \(reader.enrollmentID)@\(reader.mspID)" }
}

/// What a page says after the form that redirected to it (`?done=CODE`): fixed texts, so a link
/// cannot put words on the page.
enum PortalNotices {
    static let texts = [
        "granted": "Consent granted: it is on the ledger.",
        "revoked": "Consent revoked: readers it covered are denied from now on.",
        "approved": "You approved the study: a research consent is on the ledger.",
        "declined": "You declined the study.",
        "uploaded": "Record encrypted, stored and registered on the ledger.",
        "requested": "Access request filed on the ledger; patients can now answer it.",
    ]
}

/// What the portal remembers between requests: the patient ID found for the identity and the
/// last export of each study (the number of approving patients shows after an export).
final class PortalMemory: Sendable {
    let patientID = Mutex<String?>(nil)
    let lastExports = Mutex<[String: String]>([:])
}
