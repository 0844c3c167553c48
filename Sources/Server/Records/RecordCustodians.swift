internal import EHRModel

/// The organisations whose nodes hold a copy of a record's data key, each with the ledger's
/// digest of its copy: the authoring organisation's, and the patient's home organisation's when
/// that is another (which also keeps a replica of the content). The author's comes first.
struct RecordCustodians: Sendable, Equatable {
    struct Copy: Sendable, Equatable {
        var mspID: String
        var digest: String
    }

    let copies: [Copy]

    init(record: RecordReference, patient: Patient) {
        var copies = [Copy(mspID: record.authorMSP, digest: record.keyDigests[KeyCopy.author] ?? "")]
        if patient.mspID != record.authorMSP, let home = record.keyDigests[KeyCopy.home] {
            copies.append(Copy(mspID: patient.mspID, digest: home))
        }
        self.copies = copies
    }

    /// The custodian organisations' MSP IDs, author's first.
    var organizations: [String] { copies.map(\.mspID) }
}
