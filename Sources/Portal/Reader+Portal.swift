public import EHRModel
internal import Foundation
public import Identity
internal import SwiftASN1
internal import X509

/// Who the portal acts as, as the ledger names a reader: read from the identity folder's
/// certificate (O = organisation, OU = role, CN = enrollment ID). The role picks the screens; what
/// the identity may do is decided by the ledger alone.
extension Reader {
    /// The reader whose certificate is `folder`'s `cert.pem`.
    public init(identity folder: IdentityFolder) throws {
        let subject = try folder.loadCertificate().subject
        let first = { (type: ASN1ObjectIdentifier) in Membership.values(of: type, in: subject).first }
        guard let mspID = first(.RDNAttributeType.organizationName), let enrollmentID = first(.RDNAttributeType.commonName) else {
            throw PortalError.unusableIdentity("\(folder.certificatePath) names no organisation (O) or common name (CN)")
        }
        guard let role = first(.RDNAttributeType.organizationalUnitName) else {
            throw PortalError.unusableIdentity("\(folder.certificatePath) names no role (OU)")
        }
        self.init(mspID: mspID, enrollmentID: enrollmentID, role: role)
    }

    /// The portal's screens for this role, in menu order.
    var screens: [PortalScreen] {
        switch role {
        case "patient": [.records, .audit, .consents, .research]
        case "clinician": [.patients, .upload]
        case "researcher": [.studies]
        case "auditor": [.explorer]
        case "admin": [.patients, .explorer]
        default: []
        }
    }
}

/// A top-level screen of the portal: its path and its menu label.
enum PortalScreen: String, CaseIterable {
    case records, audit, consents, research, patients, upload, studies, explorer

    var path: String { "/\(rawValue)" }

    var label: String {
        switch self {
        case .records: "My records"
        case .audit: "Who read my records"
        case .consents: "Consents"
        case .research: "Research requests"
        case .patients: "Patients"
        case .upload: "Upload a record"
        case .studies: "Studies"
        case .explorer: "Ledger explorer"
        }
    }
}

/// Why the portal cannot start or answer.
public enum PortalError: Error, CustomStringConvertible {
    case unusableIdentity(String)
    case cannotListen(port: Int, reason: String)

    public var description: String {
        switch self {
        case .unusableIdentity(let why): "the identity cannot be used by the portal: \(why)"
        case .cannotListen(let port, let reason): "the portal cannot listen on 127.0.0.1:\(port): \(reason). Choose another --port, or 0 for a free one"
        }
    }
}
