/// A researcher's request to use patients' records for a study; each patient answers it.
public struct AccessRequest: Codable, Sendable, Equatable {
    public var studyID: String
    /// The researcher's organisation, which approving patients grant consent to.
    public var mspID: String
    /// Enrollment ID of the researcher who asked.
    public var requester: String
    public var purpose: Purpose
    /// Record categories requested; empty means all.
    public var categories: [String]
    public var periodStart: Int64
    public var periodEnd: Int64?
    public var description: String
    public var requestedAt: Int64

    public init(
        studyID: String, mspID: String, requester: String, purpose: Purpose = .research, categories: [String],
        periodStart: Int64, periodEnd: Int64? = nil, description: String, requestedAt: Int64
    ) {
        self.studyID = studyID
        self.mspID = mspID
        self.requester = requester
        self.purpose = purpose
        self.categories = categories
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.description = description
        self.requestedAt = requestedAt
    }
}

/// A patient's answer to an access request.
public enum AccessDecision: String, Codable, Sendable {
    case approved
    case declined
}

/// A patient's latest answer to an access request; an approval names the research consent it created.
public struct AccessResponse: Codable, Sendable, Equatable {
    public var studyID: String
    public var patientID: String
    public var decision: AccessDecision
    public var respondedAt: Int64
    public var consentID: String?

    public init(studyID: String, patientID: String, decision: AccessDecision, respondedAt: Int64, consentID: String? = nil) {
        self.studyID = studyID
        self.patientID = patientID
        self.decision = decision
        self.respondedAt = respondedAt
        self.consentID = consentID
    }
}

/// How patients answered a study, as counts only (which patients answered is not told): those
/// whose approval's research consent is in force, those who declined, and those who approved and
/// later revoked the consent.
public struct AccessTally: Codable, Sendable, Equatable {
    public var studyID: String
    public var approved: Int
    public var declined: Int
    public var withdrawn: Int

    public init(studyID: String, approved: Int, declined: Int, withdrawn: Int) {
        self.studyID = studyID
        self.approved = approved
        self.declined = declined
        self.withdrawn = withdrawn
    }
}
