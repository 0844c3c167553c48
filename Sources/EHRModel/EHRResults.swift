/// What `OpenRecord` returns: the decision, the record only when permitted, and the audit event's ID.
public struct OpenRecordResult: Codable, Sendable, Equatable {
    public var decision: Decision
    public var record: RecordReference?
    public var auditID: String
    /// For a break-glass read: the end of the emergency access it used (Unix seconds).
    public var breakGlassExpiresAt: Int64?

    public init(decision: Decision, record: RecordReference?, auditID: String, breakGlassExpiresAt: Int64? = nil) {
        self.decision = decision
        self.record = record
        self.auditID = auditID
        self.breakGlassExpiresAt = breakGlassExpiresAt
    }
}

/// What `StudyRecords` returns: per consenting patient, the records the study may use.
public struct StudyExport: Codable, Sendable, Equatable {
    /// One patient's records in a study export.
    public struct PatientRecords: Codable, Sendable, Equatable {
        public var patientID: String
        public var records: [RecordReference]

        public init(patientID: String, records: [RecordReference]) {
            self.patientID = patientID
            self.records = records
        }
    }

    public var studyID: String
    public var patients: [PatientRecords]

    public init(studyID: String, patients: [PatientRecords]) {
        self.studyID = studyID
        self.patients = patients
    }
}
