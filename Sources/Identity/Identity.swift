public import Crypto
public import Schema
public import X509

/// Who a certificate says its holder is, once `Membership` has accepted it: the organisation (MSP
/// ID), the enrollment ID, the role and attributes, and the key the holder signs with.
public struct Identity: Sendable, Hashable, CustomStringConvertible {
    public var mspID: String
    public var enrollmentID: String
    public var role: Medledger_V1_Role
    public var attributes: [String: String]
    public var publicKey: P256.Signing.PublicKey
    public var certificate: Certificate

    public static func == (lhs: Identity, rhs: Identity) -> Bool {
        lhs.certificate == rhs.certificate
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(certificate)
    }

    public var description: String {
        "\(enrollmentID)@\(mspID) (\(role.certificateName ?? "no role"), serial \(certificate.serialNumber.hexString))"
    }
}
