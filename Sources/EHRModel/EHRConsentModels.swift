/// Why data is read, as HL7 v3 PurposeOfUse codes.
public enum Purpose: String, Codable, Sendable, CaseIterable {
    /// Treatment.
    case treatment = "TREAT"
    /// Emergency treatment (break-glass).
    case emergencyTreatment = "ETREAT"
    /// Healthcare research.
    case research = "HRESCH"
}

/// What a consent is about; each scope admits some purposes only.
public enum ConsentScope: String, Codable, Sendable, CaseIterable {
    case treatment
    case research

    /// The purposes a consent of this scope may grant.
    public var purposes: Set<Purpose> {
        switch self {
        case .treatment: [.treatment, .emergencyTreatment]
        case .research: [.research]
        }
    }
}

/// Who a consent is granted to: a whole organisation, one role in an organisation, or one identity.
public struct Grantee: Codable, Sendable, Equatable {
    /// How much of `mspID` the grantee covers.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case organization
        case role
        case identity
    }

    public var kind: Kind
    public var mspID: String
    /// The certificate role name ("clinician", "researcher"…), for `kind == .role`.
    public var role: String?
    /// The enrollment ID, for `kind == .identity`.
    public var enrollmentID: String?

    public init(kind: Kind, mspID: String, role: String? = nil, enrollmentID: String? = nil) {
        self.kind = kind
        self.mspID = mspID
        self.role = role
        self.enrollmentID = enrollmentID
    }

    /// True if `reader` is covered by this grantee. An organisation means the people who act for
    /// it, never its own patients: a consent to a hospital does not open one patient's records
    /// to another.
    public func covers(_ reader: Reader) -> Bool {
        guard reader.mspID == mspID else { return false }
        switch kind {
        case .organization: return reader.role != "patient"
        case .role: return role == reader.role
        case .identity: return enrollmentID == reader.enrollmentID
        }
    }
}

/// Whether a provision (or a decision) lets the read happen.
public enum Outcome: String, Codable, Sendable {
    case permit
    case deny
}

/// An exception inside a consent, with FHIR R4 `Consent.provision` semantics: it matches a request
/// when each of its non-empty lists contains the request's value, and the deepest matching
/// provision decides.
public struct Provision: Codable, Sendable, Equatable {
    public var type: Outcome
    /// Purposes this provision applies to; empty means any.
    public var purposes: [Purpose]
    /// Record categories this provision applies to; empty means any.
    public var categories: [String]
    /// Records this provision applies to; empty means any.
    public var recordIDs: [String]
    /// Nested exceptions to this provision.
    public var provisions: [Provision]

    public init(
        type: Outcome, purposes: [Purpose] = [], categories: [String] = [], recordIDs: [String] = [],
        provisions: [Provision] = []
    ) {
        self.type = type
        self.purposes = purposes
        self.categories = categories
        self.recordIDs = recordIDs
        self.provisions = provisions
    }

    /// Only `type` is required: a missing list means "any", a missing `provisions` none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(Outcome.self, forKey: .type)
        purposes = try container.decodeIfPresent([Purpose].self, forKey: .purposes) ?? []
        categories = try container.decodeIfPresent([String].self, forKey: .categories) ?? []
        recordIDs = try container.decodeIfPresent([String].self, forKey: .recordIDs) ?? []
        provisions = try container.decodeIfPresent([Provision].self, forKey: .provisions) ?? []
    }
}

/// Whether a consent is in force. Revocation is forward-only: decisions already on the ledger stay.
public enum ConsentStatus: String, Codable, Sendable {
    case active
    case revoked
}

/// A patient's consent (FHIR R4 `Consent`): lets `grantee` read the patient's records of
/// `categories` for `purposes` during the period, except where nested `provisions` say otherwise.
public struct Consent: Codable, Sendable, Equatable {
    /// "c-" followed by the ID of the transaction that granted it.
    public var consentID: String
    public var patientID: String
    public var scope: ConsentScope
    public var grantee: Grantee
    public var purposes: [Purpose]
    /// Record categories covered; empty means all.
    public var categories: [String]
    public var periodStart: Int64
    /// The first second the consent no longer covers; nil for an open-ended consent.
    public var periodEnd: Int64?
    public var provisions: [Provision]
    /// The study a research consent was given for.
    public var studyID: String?
    public var status: ConsentStatus
    public var grantedAt: Int64
    public var revokedAt: Int64?

    public init(
        consentID: String, patientID: String, scope: ConsentScope, grantee: Grantee, purposes: [Purpose],
        categories: [String] = [], periodStart: Int64, periodEnd: Int64? = nil, provisions: [Provision] = [],
        studyID: String? = nil, status: ConsentStatus = .active, grantedAt: Int64, revokedAt: Int64? = nil
    ) {
        self.consentID = consentID
        self.patientID = patientID
        self.scope = scope
        self.grantee = grantee
        self.purposes = purposes
        self.categories = categories
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.provisions = provisions
        self.studyID = studyID
        self.status = status
        self.grantedAt = grantedAt
        self.revokedAt = revokedAt
    }
}
