/// The composite keys of the EHR contract's state, one object type per kind of fact.
enum EHRKey {
    static let patient = "patient"
    /// (mspID, enrollmentID) → patient ID, so one identity is one patient; also the index
    /// `ListPatients` scans for one organisation's patients.
    static let patientIdentity = "patientIdentity"
    static let record = "record"
    /// (patientID, recordID) → record ID: the index `ListRecords` scans.
    static let patientRecord = "patientRecord"
    /// previous record ID → the ID of the record that corrects it.
    static let supersededBy = "supersededBy"
    static let consent = "consent"
    static let audit = "audit"
    static let grant = "grant"
    static let request = "request"
    static let response = "response"
    static let erasure = "erasure"
    /// client ID → `BackendClient`.
    static let backendClient = "backendClient"

    /// The key of `objectType` and `attributes`; an attribute a key cannot hold (U+0000 or
    /// U+10FFFF) came from the caller, so it is a 400.
    static func make(_ objectType: String, _ attributes: String...) throws -> String {
        do { return try CompositeKey.make(objectType: objectType, attributes: attributes) } catch {
            throw ChaincodeError.rejected(status: 400, message: "\(error)")
        }
    }
}
