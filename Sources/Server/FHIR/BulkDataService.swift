internal import Chaincode
internal import Deidentification
internal import EHRModel
internal import Foundation
internal import GRPCCore
internal import HTTPTypes
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import Synchronization

/// The FHIR Bulk Data Access (v2) and SMART Backend Services edge of a node, over HTTPS:
///
/// | request | answer |
/// |---|---|
/// | `GET /.well-known/smart-configuration` (also under `/fhir`) | the SMART configuration |
/// | `GET /fhir/metadata` | an R4 CapabilityStatement naming `Group/$export` |
/// | `POST /auth/token` | a bearer token for a client assertion (RFC 7523) |
/// | `GET /fhir/Group/{study}/$export` | 202 + `Content-Location` (the audited decision is taken first) |
/// | `GET /fhir/bulkstatus/{job}` | 202 + `X-Progress` while running, then the manifest |
/// | `DELETE /fhir/bulkstatus/{job}` | 202; the job's files are gone |
/// | `GET /fhir/bulkfiles/{job}/{file}` | the NDJSON, decrypted as it is sent |
///
/// What is exported is `StudyExporter`'s, the same as `Research.Export`: the ledger decides and
/// audits, this type adds no rule of its own beyond who holds which token.
struct BulkDataService: Sendable {
    let exporter: StudyExporter
    let jobs: BulkExportJobs
    let tokens: AccessTokens
    let verifier: ClientAssertionVerifier
    let channelID: String
    let origins: FHIROrigins
    let logger: Logger

    /// The resource types an export carries.
    static let exportableTypes = Set(SafeHarbor.exportableTypes)
    static let outputFormats: Set<String> = ["application/fhir+ndjson", "application/ndjson", "ndjson"]

    /// Answers `request`; every refusal is an OperationOutcome (or an OAuth error at the token endpoint).
    func respond(to request: Request) async -> Response {
        do {
            return try await route(request)
        } catch let refusal as FHIRRefusal {
            return refusal.response
        } catch let refusal as OAuthRefusal {
            return refusal.response
        } catch {
            logger.warning("FHIR request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return FHIRRefusal(status: .internalServerError, code: "exception", diagnostics: "the node could not answer: \(type(of: error))").response
        }
    }

    private func route(_ request: Request) async throws -> Response {
        let origin = origins.origin(for: request)
        guard let route = FHIRRoute(path: request.uri.path) else { throw FHIRRefusal.notFound("nothing is served at \(request.uri.path)") }
        switch (request.method, route) {
        case (.get, .smartConfiguration):
            return FHIRJSON.response(status: .ok, contentType: "application/json", body: SMARTDiscovery.configuration(origin: origin))
        case (.get, .metadata):
            return FHIRJSON.response(status: .ok, contentType: FHIRJSON.fhirJSON, body: SMARTDiscovery.capabilityStatement(origin: origin))
        case (.post, .token):
            var request = request
            return try await token(form: try await request.collectBody(upTo: 64 * 1024))
        case (.get, .export(let study)):
            return try await kickOff(study: study, request: request, origin: origin)
        case (.get, .status(let job)):
            return try await status(of: job, request: request, origin: origin)
        case (.delete, .status(let job)):
            _ = try await ownJob(job, request)
            _ = await jobs.delete(job)
            return Response(status: .accepted)
        case (.get, .file(let job, let name)):
            return try await file(name, of: job, request: request)
        default:
            throw FHIRRefusal(status: .methodNotAllowed, code: "not-supported", diagnostics: "\(request.method) is not supported on \(request.uri.path)")
        }
    }

    // MARK: - SMART Backend Services token endpoint

    private func token(form body: ByteBuffer) async throws -> Response {
        let form = FormBody(String(buffer: body))
        guard form["grant_type"] == "client_credentials" else {
            throw OAuthRefusal(error: "unsupported_grant_type", description: "grant_type must be client_credentials; got \(form["grant_type"] ?? "none")")
        }
        guard let type = form["client_assertion_type"], let assertion = form["client_assertion"] else {
            throw OAuthRefusal.invalidRequest("client_assertion_type and client_assertion are required (private_key_jwt)")
        }
        guard type == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" else {
            throw OAuthRefusal.invalidClient("client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        }
        guard let requested = form["scope"], !requested.isEmpty else { throw OAuthRefusal.invalidRequest("scope is required") }
        let client = try await verifier.verify(assertion)
        let scopes = ExportScopes(requested: requested, exportable: Self.exportableTypes)
        guard !scopes.granted.isEmpty else {
            throw OAuthRefusal(error: "invalid_scope", description: "none of \(requested) grants read access to exported resources; ask for system/*.rs")
        }
        let scope = scopes.granted.joined(separator: " ")
        let token = tokens.issue(
            AccessGrant(
                clientID: client.clientID, mspID: client.mspID, studies: Set(client.studies), resourceTypes: scopes.resourceTypes, scope: scope,
                expires: Date().addingTimeInterval(AccessTokens.lifetime)))
        logger.info("issued an access token", metadata: ["client": "\(client.clientID)", "scope": "\(scope)"])
        var response = FHIRJSON.response(
            status: .ok, contentType: "application/json",
            body: ["access_token": token, "token_type": "bearer", "expires_in": Int(AccessTokens.lifetime), "scope": scope])
        response.headers[.cacheControl] = "no-store"
        response.headers[.pragma] = "no-cache"
        return response
    }

    // MARK: - Bulk Data export

    private func kickOff(study: String, request: Request, origin: String) async throws -> Response {
        let grant = try authorize(request)
        guard request.headers[.accept].map({ $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == FHIRJSON.fhirJSON } }) == true else {
            throw FHIRRefusal.invalid("the Accept header must be application/fhir+json")
        }
        let prefer = request.headers[values: .prefer].flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard prefer.contains("respond-async") else { throw FHIRRefusal.invalid("the Prefer header must be respond-async: a bulk export runs asynchronously") }
        let parameters = try ExportParameters(request.uri.queryParameters, strict: prefer.contains("handling=strict"), exportable: Self.exportableTypes)
        guard grant.studies.contains(study) else {
            throw FHIRRefusal.forbidden("client \(grant.clientID) may not export Group \(study): it is registered for \(grant.studies.sorted().joined(separator: ", "))")
        }
        let types = parameters.types ?? grant.resourceTypes
        if let outside = types.subtracting(grant.resourceTypes).sorted().first {
            throw FHIRRefusal.forbidden("the token's scopes (\(grant.scope)) do not cover \(outside)")
        }
        let reader = Reader(mspID: grant.mspID, enrollmentID: grant.clientID, role: BackendClient.readerRole)
        let decision: StudyExporter.Decision
        do {
            decision = try await exporter.decide(studyID: study, channelID: channelID, reader: reader)
        } catch {
            throw Self.refusal(for: error)
        }
        let since = parameters.since
        // Asked for everything: records no export can carry are counted as withheld (the error file).
        let reportWithheld = parameters.types == nil && grant.resourceTypes == Self.exportableTypes
        let job = try await jobs.start(decision, with: exporter, for: grant.clientID, request: origin + request.uri.description) { record in
            let wanted = types.contains(record.resourceType) || (reportWithheld && !Self.exportableTypes.contains(record.resourceType))
            return wanted && (since.map { Double(record.createdAt) >= $0.timeIntervalSince1970 } ?? true)
        }
        logger.info("bulk export started", metadata: ["client": "\(grant.clientID)", "study": "\(study)", "job": "\(job)", "transaction": "\(decision.txID)"])
        var response = Response(status: .accepted)
        response.headers[.contentLocation] = "\(origin)/fhir/bulkstatus/\(job)"
        return response
    }

    private func status(of id: String, request: Request, origin: String) async throws -> Response {
        let status = try await ownJob(id, request)
        switch status.state {
        case .running(let done, let total):
            var response = Response(status: .accepted)
            response.headers[.xProgress] = "\(done) of \(total) records"
            response.headers[.retryAfter] = "1"
            return response
        case .failed(let refusal, _):
            return refusal.response
        case .complete(let outputs, let at):
            let entry = { (output: BulkExportJobs.Output) -> [String: Any] in
                ["type": output.type, "url": "\(origin)/fhir/bulkfiles/\(id)/\(output.name)", "count": output.count]
            }
            let manifest: [String: Any] = [
                "transactionTime": FHIRJSON.instant(status.transactionTime),
                "request": status.request,
                "requiresAccessToken": true,
                "output": outputs.filter { !$0.isError }.map(entry),
                "error": outputs.filter(\.isError).map(entry),
                "extension": ["https://medledger.dev/fhir/StructureDefinition/ledger-transaction": status.transactionID],
            ]
            var headers = HTTPFields()
            headers[.expires] = FHIRJSON.httpDate(at.addingTimeInterval(await jobs.retention))
            return FHIRJSON.response(status: .ok, contentType: "application/json", body: manifest, headers: headers)
        }
    }

    private func file(_ name: String, of id: String, request: Request) async throws -> Response {
        _ = try await ownJob(id, request)
        guard let (path, key) = await jobs.file(id, named: name) else { throw FHIRRefusal.notFound("job \(id) has no file \(name)") }
        var headers = HTTPFields()
        headers[.contentType] = FHIRJSON.ndjson
        let body = ResponseBody { writer in
            try await SealedNDJSONFile.read(path, key: key) { piece in try await writer.write(ByteBuffer(bytes: piece)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: - Authorization

    /// The grant of the request's bearer token; 401 without a valid one.
    private func authorize(_ request: Request) throws -> AccessGrant {
        guard let header = request.headers[.authorization] else {
            throw FHIRRefusal.unauthorized("no access token: send Authorization: Bearer with a token from the SMART token endpoint")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let grant = tokens.grant(for: String(parts[1])) else {
            throw FHIRRefusal.unauthorized("the access token is not valid or has expired; get a new one from the token endpoint")
        }
        return grant
    }

    /// Job `id`, if the request's token belongs to the client that started it; 404 otherwise (a
    /// job of another client is not told apart from a missing one).
    private func ownJob(_ id: String, _ request: Request) async throws -> BulkExportJobs.Status {
        let grant = try authorize(request)
        guard let status = await jobs.status(id), status.clientID == grant.clientID else {
            throw FHIRRefusal.notFound("no export job \(id) of client \(grant.clientID)")
        }
        return status
    }

    /// The HTTP status of a decision the ledger refused or could not take.
    static func refusal(for error: any Error) -> FHIRRefusal {
        let status = StatusMapping.rpcError(for: error)
        let message = status.message
        switch status.code {
        case .permissionDenied, .unauthenticated: return .forbidden(message)
        case .notFound: return .notFound(message)
        case .invalidArgument: return .invalid(message)
        case .unavailable, .resourceExhausted, .aborted:
            return FHIRRefusal(status: .serviceUnavailable, code: "transient", diagnostics: message)
        default: return FHIRRefusal(status: .internalServerError, code: "exception", diagnostics: message)
        }
    }
}

/// The resources of the FHIR endpoint, by path.
enum FHIRRoute: Equatable {
    case smartConfiguration
    case metadata
    case token
    case export(study: String)
    case status(job: String)
    case file(job: String, name: String)

    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch parts.count {
        case 2 where parts == [".well-known", "smart-configuration"], 3 where parts == ["fhir", ".well-known", "smart-configuration"]:
            self = .smartConfiguration
        case 2 where parts == ["fhir", "metadata"]: self = .metadata
        case 2 where parts == ["auth", "token"]: self = .token
        case 4 where parts[0] == "fhir" && parts[1] == "Group" && parts[3] == "$export" && !parts[2].isEmpty: self = .export(study: parts[2])
        case 3 where parts[0] == "fhir" && parts[1] == "bulkstatus" && !parts[2].isEmpty: self = .status(job: parts[2])
        case 4 where parts[0] == "fhir" && parts[1] == "bulkfiles" && !parts[2].isEmpty && !parts[3].isEmpty:
            self = .file(job: parts[2], name: parts[3])
        default: return nil
        }
    }
}
