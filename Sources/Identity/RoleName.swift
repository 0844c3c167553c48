public import Schema

/// The one spelling of each role inside certificates: the organisational unit (OU) of the subject.
extension Medledger_V1_Role {
    /// The OU text for this role, or nil for roles that never appear in a certificate.
    public var certificateName: String? {
        switch self {
        case .admin: "admin"
        case .client: "client"
        case .peer: "peer"
        case .orderer: "orderer"
        case .patient: "patient"
        case .clinician: "clinician"
        case .researcher: "researcher"
        case .auditor: "auditor"
        case .unspecified, .member, .UNRECOGNIZED: nil
        }
    }

    /// The role an OU names, or nil if it names none.
    public init?(certificateName: String) {
        guard let role = Self.allCases.first(where: { $0.certificateName == certificateName }) else {
            return nil
        }
        self = role
    }

    /// Roles a certificate may carry.
    public static var certifiable: [Medledger_V1_Role] {
        allCases.filter { $0.certificateName != nil }
    }
}
