public import Foundation
public import GRPCCore
public import Identity
public import Schema
internal import SwiftASN1
internal import X509

/// The `medledger.v1.CertificateAuthority` gRPC service over one organisation's CA. Callers are
/// authenticated and authorized by `AuthenticationInterceptor` before a handler runs; handlers
/// only translate messages and let `StatusMapping` turn domain errors into statuses.
public struct CertificateAuthorityService: Medledger_V1_CertificateAuthority.SimpleServiceProtocol {
    public let ca: OrganizationCA
    public let clock: @Sendable () -> Date

    public init(ca: OrganizationCA, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.ca = ca
        self.clock = clock
    }

    public func register(request: Medledger_V1_RegisterRequest, context: ServerContext) async throws
        -> Medledger_V1_RegisterResponse
    {
        try await StatusMapping.mapped {
            let registrar = try CallerIdentity.required()
            guard registrar.mspID == ca.mspID else {
                throw RPCError(code: .permissionDenied, message: "\(registrar) is not a registrar of \(ca.mspID)")
            }
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
            let certificate = try ca.enroll(
                enrollmentID: request.enrollmentID, secret: request.secret, csr: request.csr, now: clock()
            )
            return try enrollResponse(certificate)
        }
    }

    public func reenroll(request: Medledger_V1_ReenrollRequest, context: ServerContext) async throws
        -> Medledger_V1_EnrollResponse
    {
        try await StatusMapping.mapped {
            let caller = try CallerIdentity.required()
            guard caller.mspID == ca.mspID else {
                throw RPCError(code: .permissionDenied, message: "\(caller) was not issued by \(ca.mspID)'s CA")
            }
            return try enrollResponse(try ca.reenroll(enrollmentID: caller.enrollmentID, csr: request.csr, now: clock()))
        }
    }

    public func revoke(request: Medledger_V1_RevokeRequest, context: ServerContext) async throws
        -> Medledger_V1_RevokeResponse
    {
        try await StatusMapping.mapped {
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

    public func getCRL(request: Medledger_V1_GetCRLRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCRLResponse
    {
        try await StatusMapping.mapped {
            var response = Medledger_V1_GetCRLResponse()
            response.crl = Data(try ca.currentCRL(now: clock()))
            return response
        }
    }

    public func getCAInfo(request: Medledger_V1_GetCAInfoRequest, context: ServerContext) async throws
        -> Medledger_V1_GetCAInfoResponse
    {
        try await StatusMapping.mapped {
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
            let page = try ca.listIdentities(
                prefix: request.enrollmentIDPrefix, pageSize: Int(request.pageSize), after: request.pageToken
            )
            var response = Medledger_V1_ListIdentitiesResponse()
            response.identities = page.identities.map(Self.info)
            if page.hasMore, let last = page.identities.last {
                response.nextPageToken = last.0.enrollmentID
            }
            return response
        }
    }

    // MARK: - Translation

    private func enrollResponse(_ certificate: Certificate) throws -> Medledger_V1_EnrollResponse {
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
