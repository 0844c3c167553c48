internal import Wire

/// Quantities as they may leave: value, comparator, and a UCUM unit (as its code, since the
/// human-readable `unit` is free text). A time span of 90 years or more — an age over 89 —
/// leaves as ">= 90 a", the single category Safe Harbor allows, whether its unit is UCUM or only
/// a spelling of years, months, weeks or days; an Age whose unit says nothing of time does not
/// leave above 89 at all.
enum QuantityCleaner {
    static func clean(_ quantity: JSONObject, as kind: QuantityKind) -> ElementCleaner.Cleaned {
        var kept = JSONObject()
        if case .number(let literal) = quantity["value"], let value = Double(literal), value.isFinite {
            let perYear = unitsPerYear(quantity)
            if value / (perYear ?? 1) >= 90, perYear != nil || kind == .age {
                return kind.allowsComparator && perYear != nil ? .kept(ninetyOrOlder) : .dropped
            }
            kept.members.append(("value", .number(literal)))
        }
        if kind.allowsComparator, case .string(let comparator) = quantity["comparator"], ["<", "<=", ">=", ">"].contains(comparator) {
            kept.members.append(("comparator", .string(comparator)))
        }
        if case .string(Terminologies.ucum) = quantity["system"], case .string(let code) = quantity["code"], Terminologies.isUCUMUnit(code) {
            kept.members += [("unit", .string(code)), ("system", .string(Terminologies.ucum)), ("code", .string(code))]
        }
        return kept.members.isEmpty ? .dropped : .kept(.object(kept))
    }

    /// SampledData keeps its numbers (`data` only if it is nothing but numbers and the E/U/L
    /// markers) and is dropped whole if a required part does not survive.
    static func clean(sampledData: JSONObject) -> ElementCleaner.Cleaned {
        guard case .object(let originSource) = sampledData["origin"], case .kept(let origin) = clean(originSource, as: .simple),
            case .number = sampledData["period"], case .number(let dimensions) = sampledData["dimensions"],
            let count = Int32(dimensions), count >= 1
        else { return .dropped }
        var kept = JSONObject(members: [("origin", origin)])
        for name in ["period", "factor", "lowerLimit", "upperLimit", "dimensions"] {
            if case .number = sampledData[name] { kept.members.append((name, sampledData[name]!)) }
        }
        if case .string(let data) = sampledData["data"],
            data.wholeMatch(of: /(?:[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|E|U|L)(?: (?:[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|E|U|L))*/) != nil
        {
            kept.members.append(("data", .string(data)))
        }
        return .kept(.object(kept))
    }

    /// How many of the quantity's units make a year, if it is a time span: by its UCUM code, or
    /// by a common spelling of its code or unit when it has no UCUM system.
    static func unitsPerYear(_ quantity: JSONObject) -> Double? {
        if case .string(Terminologies.ucum) = quantity["system"], case .string(let code) = quantity["code"] {
            return ucumUnitsPerYear[code]
        }
        for field in ["code", "unit"] {
            if case .string(let spelling) = quantity[field], let perYear = spelledUnitsPerYear[spelling.lowercased()] { return perYear }
        }
        return nil
    }

    /// An age observation's bare number (`valueInteger`, or a quantity without a unit): over 89
    /// it cannot leave, as a number says nothing of the category.
    static func isAgeOverEightyNine(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let literal): return (Double(literal) ?? 0) >= 90
        case .object(let quantity): return quantity["value"].map(isAgeOverEightyNine) ?? false
        default: return false
        }
    }

    private static let ucumUnitsPerYear: [String: Double] = [
        "a": 1, "mo": 12, "wk": 365.25 / 7, "d": 365.25, "h": 365.25 * 24, "min": 365.25 * 24 * 60, "s": 365.25 * 24 * 3600,
    ]

    private static let spelledUnitsPerYear: [String: Double] = [
        "a": 1, "y": 1, "yr": 1, "yrs": 1, "year": 1, "years": 1, "mo": 12, "month": 12, "months": 12,
        "wk": 365.25 / 7, "week": 365.25 / 7, "weeks": 365.25 / 7, "d": 365.25, "day": 365.25, "days": 365.25,
    ]

    static let ninetyOrOlder = JSONValue.object(
        JSONObject(members: [
            ("value", .number("90")), ("comparator", .string(">=")), ("unit", .string("a")),
            ("system", .string(Terminologies.ucum)), ("code", .string("a")),
        ]))
}
