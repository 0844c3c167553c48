internal import Wire

/// Quantities as they may leave: value, comparator, and a UCUM unit (as its code, since the
/// human-readable `unit` is free text). A time span of 90 years or more — an age over 89 —
/// leaves as ">= 90 a", the single category Safe Harbor allows.
enum QuantityCleaner {
    static func clean(_ quantity: JSONObject, as kind: QuantityKind) -> ElementCleaner.Cleaned {
        var kept = JSONObject()
        if case .number(let literal) = quantity["value"] {
            if isNinetyYearsOrMore(literal, unit: quantity["code"], system: quantity["system"]) {
                return kind.allowsComparator ? .kept(ninetyOrOlder) : .dropped
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

    /// True if the quantity is a UCUM time span of at least 90 years.
    private static func isNinetyYearsOrMore(_ literal: String, unit: JSONValue?, system: JSONValue?) -> Bool {
        guard case .string(Terminologies.ucum) = system, case .string(let code) = unit, let perYear = unitsPerYear[code],
            let value = Double(literal)
        else { return false }
        return value / perYear >= 90
    }

    private static let unitsPerYear: [String: Double] = [
        "a": 1, "mo": 12, "wk": 365.25 / 7, "d": 365.25, "h": 365.25 * 24, "min": 365.25 * 24 * 60, "s": 365.25 * 24 * 3600,
    ]

    private static let ninetyOrOlder = JSONValue.object(
        JSONObject(members: [
            ("value", .number("90")), ("comparator", .string(">=")), ("unit", .string("a")),
            ("system", .string(Terminologies.ucum)), ("code", .string("a")),
        ]))
}
