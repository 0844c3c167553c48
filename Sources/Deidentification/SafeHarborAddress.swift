internal import Wire

/// What of a US address Safe Harbor lets a data set keep: the state, and the first three digits
/// of the ZIP code unless they cover 20,000 people or fewer (then "000"). Nothing of a non-US
/// address leaves, since what is safe there is not Safe Harbor's to say.
enum SafeHarborAddress {
    static func clean(_ address: JSONObject) -> ElementCleaner.Cleaned {
        if case .string(let country) = address["country"], !["US", "USA"].contains(country) { return .dropped }
        var kept = JSONObject()
        if case .string(let state) = address["state"], states.contains(state) { kept.members.append(("state", .string(state))) }
        if case .string(let postalCode) = address["postalCode"], let zip3 = zip3(postalCode) {
            kept.members.append(("postalCode", .string(zip3)))
        }
        guard !kept.members.isEmpty else { return .dropped }
        if case .string(let use) = address["use"], ["home", "work", "temp", "old", "billing"].contains(use) {
            kept.members.insert(("use", .string(use)), at: 0)
        }
        if case .string(let country) = address["country"] { kept.members.append(("country", .string(country))) }
        return .kept(.object(kept))
    }

    /// The ZIP code's first three digits, "000" for the areas of 20,000 people or fewer.
    static func zip3(_ postalCode: String) -> String? {
        guard postalCode.wholeMatch(of: /[0-9]{5}(?:-[0-9]{4})?/) != nil else { return nil }
        let prefix = String(postalCode.prefix(3))
        return sparselyPopulatedZIP3.contains(prefix) ? "000" : prefix
    }

    /// The 3-digit ZIP areas of 20,000 or fewer people (2000 Census), as HHS's Safe Harbor
    /// guidance lists them.
    static let sparselyPopulatedZIP3: Set<String> = [
        "036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893",
    ]

    /// USPS codes of the states, DC and the territories.
    static let states: Set<String> = [
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI",
    ]
}
