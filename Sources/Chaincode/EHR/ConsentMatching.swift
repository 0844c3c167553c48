public import EHRModel
/// Step 5 of `ConsentEvaluator`: which consents apply to a query, and what their provisions say.
enum ConsentMatching {
    /// The decision of the consents that apply to `query`: any deny wins, else the first permit,
    /// else deny for lack of consent. Consents are considered in the order given.
    static func decide(_ query: AccessQuery, consents: [Consent]) -> ConsentEvaluator.Evaluation {
        var firstPermit: ConsentEvaluator.Evaluation?
        for consent in consents where applies(consent, to: query) {
            let verdict = decide(query, within: consent)
            if verdict.decision.outcome == .deny { return verdict }
            if firstPermit == nil { firstPermit = verdict }
        }
        if let firstPermit { return firstPermit }
        let reader = query.reader
        return ConsentEvaluator.deny(
            "no active consent grants \(reader.mspID)/\(reader.enrollmentID) purpose \(query.purpose.rawValue) for category \(query.record.category)"
        )
    }

    /// True if `consent` is active at the query's time and covers its reader, purpose and category.
    static func applies(_ consent: Consent, to query: AccessQuery) -> Bool {
        consent.status == .active
            && consent.grantee.covers(query.reader)
            && consent.scope.purposes.contains(query.purpose)
            && consent.purposes.contains(query.purpose)
            && (consent.categories.isEmpty || consent.categories.contains(query.record.category))
            && consent.periodStart <= query.time
            && consent.periodEnd.map { query.time < $0 } ?? true
    }

    /// The decision of one applicable consent: the deepest matching provisions decide (a deny
    /// among them wins); with none matching, the consent's base permit.
    static func decide(_ query: AccessQuery, within consent: Consent) -> ConsentEvaluator.Evaluation {
        let matches = deepestMatches(consent.provisions, path: [], query)
        if let match = matches.first(where: { $0.provision.type == .deny }) ?? matches.first {
            let rule = "consent \(consent.consentID) provision \(match.path) \(describe(match.provision))"
            return match.provision.type == .deny
                ? ConsentEvaluator.deny(rule, consentID: consent.consentID)
                : ConsentEvaluator.permit(rule, consentID: consent.consentID)
        }
        let reader = query.reader
        return ConsentEvaluator.permit(
            "consent \(consent.consentID) grants \(reader.mspID)/\(reader.enrollmentID) purpose \(query.purpose.rawValue) for category \(query.record.category)",
            consentID: consent.consentID
        )
    }

    /// The provisions matching `query` that have no matching child, with their dotted paths
    /// ("1.2" is the second child of the first provision).
    static func deepestMatches(_ provisions: [Provision], path: [Int], _ query: AccessQuery) -> [(path: String, provision: Provision)] {
        var found: [(path: String, provision: Provision)] = []
        for (index, provision) in provisions.enumerated() where matches(provision, query) {
            let here = path + [index + 1]
            let deeper = deepestMatches(provision.provisions, path: here, query)
            found += deeper.isEmpty ? [(here.map(String.init).joined(separator: "."), provision)] : deeper
        }
        return found
    }

    static func matches(_ provision: Provision, _ query: AccessQuery) -> Bool {
        (provision.purposes.isEmpty || provision.purposes.contains(query.purpose))
            && (provision.categories.isEmpty || provision.categories.contains(query.record.category))
            && (provision.recordIDs.isEmpty || provision.recordIDs.contains(query.record.recordID))
    }

    /// "denies category mental-health", "permits purpose TREAT, record r-1", "denies everything".
    static func describe(_ provision: Provision) -> String {
        var criteria: [String] = []
        if !provision.purposes.isEmpty { criteria.append("purpose " + provision.purposes.map(\.rawValue).joined(separator: ", ")) }
        if !provision.categories.isEmpty { criteria.append("category " + provision.categories.joined(separator: ", ")) }
        if !provision.recordIDs.isEmpty { criteria.append("record " + provision.recordIDs.joined(separator: ", ")) }
        let verb = provision.type == .deny ? "denies" : "permits"
        return "\(verb) \(criteria.isEmpty ? "everything" : criteria.joined(separator: "; "))"
    }
}
