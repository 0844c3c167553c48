public import Foundation
public import GRPCCore
public import Identity
public import CertificateAuthority
public import Schema
internal import SwiftASN1
internal import X509
internal import Wire
internal import Logging

/// The `medledger.v1.CertificateAuthority` gRPC service over the CAs of the organisations a node
/// hosts (usually one). Calls by an identity go to the CA of the caller's organisation; Enroll and
/// GetCAInfo name one with `msp_id` (empty: the node's own, the first). Callers are authenticated
/// and authorized by `AuthenticationInterceptor` before a handler runs; handlers only translate
/// messages and let `StatusMapping` turn domain errors into statuses.
public struct CertificateAuthorityService: Medledger_V1_CertificateAuthority.SimpleServiceProtocol {
    /// The hosted CAs; the first is the node's own organisation's.
    public let authorities: [OrganizationCA]
    public let clock: @Sendable () -> Date
    /// Where unlocks are logged (they are also recorded in the CA's store).
    let logger = Logger(label: "medledger.ca")

    public init(ca: OrganizationCA, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(authorities: [ca], clock: clock)
    }

    public init(authorities: [OrganizationCA], clock: @escaping @Sendable () -> Date = { Date() }) {
        precondition(!authorities.isEmpty, "a CA service needs at least one CA")
        self.authorities = authorities
        self.clock = clock
    }

    /// The CA of `mspID`; empty names the node's own.
    func authority(_ mspID: String) throws -> OrganizationCA {
        if mspID.isEmpty { return authorities[0] }
        guard let ca = authorities.first(where: { $0.mspID == mspID }) else {
            throw RPCError(code: .notFound, message: "this node hosts no CA for \(QuotedInput.quote(mspID)) (msp_id); it hosts \(authorities.map(\.mspID))")
        }
        return ca
    }

    /// The CA that issued `caller`'s organisation's identities.
    func authority(of caller: Identity) throws -> OrganizationCA {
        guard let ca = authorities.first(where: { $0.mspID == caller.mspID }) else {
            throw RPCError(code: .permissionDenied, message: "\(caller) was not issued by a CA of this node")
        }
        return ca
    }

    public func register(request: Medledger_V1_RegisterRequest, context: ServerContext) async throws
        -> Medledger_V1_RegisterResponse
    {
        try await StatusMapping.mapped {
            let ca = try authority(of: try CallerIdentity.required())
            var response = Medledger_V1_RegisterResponse()
            response.secret = try ca.register(
                enrollmentID: request.enrollmentID,
                role: request.role,
                attributes: request.attributes,
                maxEnrollments: Int(request.maxEnrollments),
                affiliation: request.affiliation,
                secret: request.secret
            )
            return response
        }
    }

    public func enroll(request: Medledger_V1_EnrollRequest, context: ServerContext) async throws
        -> Medledger_V1_EnrollResponse
    {
        try await StatusMapping.mapped {
            let ca = try authority(request.mspID)
            let certificate = try ca.enroll(
                enrollmentID: request.enrollmentID, secret: request.secret, csr: request.csr, now: clock()
            )
            return try enrollResponse(certificate, ca: ca)
        }
    }

    public func reenroll(request: Medledger_V1_ReenrollRequest, context: ServerContext) async throws
        -> Medledger_V1_EnrollResponse
    {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            let ca = try authority(of: caller)
            return try enrollResponse(try ca.reenroll(enrollmentID: caller.enrollmentID, csr: request.csr, now: clock()), ca: ca)
        }
    }

    public func revoke(request: Medledger_V1_RevokeRequest, context: ServerContext) async throws
        -> Medledger_V1_RevokeResponse
    {
        try await StatusMapping.mapped {
            let ca = try authority(of: try CallerIdentity.required())
            let target: OrganizationCA.RevocationTarget
            switch request.target {
            case .enrollmentID(let id): target = .identity(id)
            case .serial(let serial): target = .serial(serial)
            case nil: throw CAError.invalidRequest("name an enrollment_id or a serial to revoke")
            }
            let (serials, crl) = try ca.revoke(target, reason: Int(request.reason.rawValue), now: clock())
            var response = Medledger_V1_RevokeResponse()
            response.revokedSerials = serials
            response.crl = Data(crl)
            return response
        }
    }

    public func unlock(request: Medledger_V1_UnlockRequest, context: ServerContext) async throws -> Medledger_V1_UnlockResponse {
        try await StatusMapping.mapped {
            let admin = try CallerIdentity.required()
            let ca = try authority(of: admin)
            let (secret, failed) = try ca.unlock(request.enrollmentID, by: "\(admin.enrollmentID)@\(admin.mspID)", now: clock())
            logger.notice(
                "identity unlocked", metadata: ["enrollment_id": "\(request.enrollmentID)", "by": "\(admin.enrollmentID)@\(admin.mspID)"])
            var response = Medledger_V1_UnlockResponse()
            response.secret = secret
            response.failedAttempts = Int32(failed)
            return response
        }
    }

    public func getCRL(request: Medledger_V1_GetCRLRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCRLResponse
    {
        try await StatusMapping.mapped {
            let ca = request.mspID.isEmpty ? try authority(of: try CallerIdentity.required()) : try authority(request.mspID)
            var response = Medledger_V1_GetCRLResponse()
            response.crl = Data(try ca.currentCRL(now: clock()))
            return response
        }
    }

    public func getCAInfo(request: Medledger_V1_GetCAInfoRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCAInfoResponse
    {
        try await StatusMapping.mapped {
            let ca = try authority(request.mspID)
            var response = Medledger_V1_GetCAInfoResponse()
            response.caName = Membership.values(of: .RDNAttributeType.commonName, in: ca.authority.rootCertificate.subject)
                .first ?? ca.mspID
            response.rootCertificate = try Self.der(ca.authority.rootCertificate)
            response.mspID = ca.mspID
            return response
        }
    }

    public func listIdentities(request: Medledger_V1_ListIdentitiesRequest, context: ServerContext) async throws
        -> Medledger_V1_ListIdentitiesResponse
    {
        try await StatusMapping.mapped {
            let ca = try authority(of: try CallerIdentity.required())
            let page = try ca.listIdentities(
                prefix: request.enrollmentIDPrefix, pageSize: Int(request.pageSize), after: request.pageToken
            )
            var response = Medledger_V1_ListIdentitiesResponse()
            response.identities = try page.identities.map { entry in
                var info = Self.info(entry)
                info.failedAttempts = Int32(entry.0.failedAttempts)
                info.locked = entry.0.failedAttempts >= ca.policy.maxFailedAttempts
                info.unlocks = Int32(try ca.unlocks(of: entry.0.enrollmentID).count)
                return info
            }
            if page.hasMore, let last = page.identities.last {
                response.nextPageToken = last.0.enrollmentID
            }
            return response
        }
    }

    // MARK: - Translation

    private func enrollResponse(_ certificate: Certificate, ca: OrganizationCA) throws -> Medledger_V1_EnrollResponse {
        var response = Medledger_V1_EnrollResponse()
        response.certificate = try Self.der(certificate)
        response.caChain = [try Self.der(ca.authority.rootCertificate)]
        return response
    }

    static func der(_ certificate: Certificate) throws -> Data {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Data(serializer.serializedBytes)
    }

    static func info(_ entry: (Registration, [IssuedCertificate])) -> Medledger_V1_IdentityInfo {
        let (registration, certificates) = entry
        var info = Medledger_V1_IdentityInfo()
        info.enrollmentID = registration.enrollmentID
        info.role = registration.role
        info.attributes = registration.attributes
        info.maxEnrollments = Int32(registration.maxEnrollments)
        info.enrollmentsUsed = Int32(registration.enrollmentsUsed)
        info.revoked = registration.revoked
        info.affiliation = registration.affiliation
        info.certificates = certificates.map { issued in
            var certificate = Medledger_V1_CertificateInfo()
            certificate.serial = issued.serial
            certificate.notBefore = Medledger_V1_Timestamp(date: issued.notBefore)
            certificate.notAfter = Medledger_V1_Timestamp(date: issued.notAfter)
            certificate.revoked = issued.revokedAt != nil
            certificate.revocationReason = Medledger_V1_RevocationReason(rawValue: Int32(issued.revocationReason))
            if let revokedAt = issued.revokedAt { certificate.revokedAt = Medledger_V1_Timestamp(date: revokedAt) }
            return certificate
        }
        return info
    }
}
