internal import Wire

/// The walk that applies a resource's profile: keeps the members its rules name, reduces each
/// value to what its kind allows, and masks the required elements that cleaning emptied.
struct ElementCleaner {
    /// `{"reference": "Patient/<pseudonym>"}`, written wherever the record's patient is referenced.
    let patientReference: JSONValue
    let exportYear: Int

    /// What cleaning made of one value.
    enum Cleaned {
        case kept(JSONValue)
        case dropped
        /// Withheld, but its presence says something (a birth year over 89): leaves as a mask.
        case masked
    }

    /// The members of `source` that may leave under `structure`, in the source's order, followed
    /// by masks for the required elements that the source had but cleaning emptied.
    func clean(_ source: JSONObject, as structure: Structure) -> JSONObject {
        var kept = JSONObject()
        let sourceNames = Set(source.members.map(\.name))
        for member in source.members {
            guard let rule = structure.elements[member.name] else { continue }
            var name = member.name
            if case .moved(let variant, _) = rule.kind {
                if sourceNames.contains(variant) { continue }
                name = variant
            }
            switch clean(member.value, rule) {
            case .kept(let value): kept.members.append((name, value))
            case .masked: kept.members.append(mask(name, rule))
            case .dropped: break
            }
        }
        if structure.isObservation, Self.isAgeObservation(kept) {
            // LOINC's age codes: a bare number over 89 is an age over 89.
            kept.members.removeAll { member in
                member.name.hasPrefix("value") && QuantityCleaner.isAgeOverEightyNine(member.value)
                    && member.value != QuantityCleaner.ninetyOrOlder
            }
        }
        for requirement in structure.required {
            let isPresent = { (members: [(name: String, value: JSONValue)]) in
                members.contains { requirement.isSatisfied(byMember: $0.name.hasPrefix("_") ? String($0.name.dropFirst()) : $0.name) }
            }
            guard !isPresent(kept.members), let rule = structure.elements[requirement.maskAs] else { continue }
            if case .patient = rule.kind {
                kept.members.append((requirement.maskAs, patientReference))
            } else if isPresent(source.members), let placeholder = requirement.placeholder {
                kept.members += [(requirement.maskAs, placeholder), ("_\(requirement.maskAs)", Self.dataAbsent)]
            } else if isPresent(source.members) {
                // Only what the source had: a resource that lacked it was invalid before, and stays so.
                kept.members.append(mask(requirement.maskAs, rule))
            }
        }
        return kept
    }

    private func clean(_ value: JSONValue, _ rule: ElementRule) -> Cleaned {
        guard rule.isList else { return clean(value, rule.kind) }
        guard case .array(let elements) = value else { return .dropped }
        let cleaned = elements.compactMap { element -> JSONValue? in
            switch clean(element, rule.kind) {
            case .kept(let value): value
            case .masked: Self.isPrimitive(rule.kind) ? nil : Self.masked(rule.kind)
            case .dropped: nil
            }
        }
        return cleaned.isEmpty ? .dropped : .kept(.array(cleaned))
    }

    private func clean(_ value: JSONValue, _ kind: ElementKind) -> Cleaned {
        switch (kind, value) {
        case (.boolean, .bool): return .kept(value)
        case (.integer(let minimum), .number(let literal)):
            guard let integer = Int32(literal), integer >= minimum else { return .dropped }
            return .kept(value)
        case (.decimal, .number(let literal)): return Double(literal)?.isFinite == true ? .kept(value) : .dropped
        case (.code(let valueSet), .string(let code)): return valueSet.contains(code) ? .kept(value) : .dropped
        case (.year, .string(let text)): return FHIRDate.yearOfDateTime(text).map { .kept(.string($0)) } ?? .dropped
        case (.instantYear, .string(let text)): return FHIRDate.yearOfInstant(text).map { .kept(.string($0)) } ?? .dropped
        case (.integerText(let minimum), .string(let text)):
            guard text.wholeMatch(of: /[0-9]{1,9}/) != nil, let integer = Int(text), integer >= minimum else { return .dropped }
            return .kept(.number(String(integer)))
        case (.moved(_, let inner), _): return clean(value, inner)
        case (.birthDate, .string(let text)):
            guard let year = FHIRDate.yearOfDateTime(text), text.count <= 10, let born = Int(year) else { return .dropped }
            // Over 89 if the birthday may have passed: Safe Harbor aggregates those ages, and the
            // year would give them away.
            return exportYear - born >= 90 ? .masked : .kept(.string(year))
        case (.coding, .object(let coding)): return Self.clean(coding: coding)
        case (.quantity(let quantityKind), .object(let quantity)): return QuantityCleaner.clean(quantity, as: quantityKind)
        case (.sampledData, .object(let sampled)): return QuantityCleaner.clean(sampledData: sampled)
        case (.address, .object(let address)): return SafeHarborAddress.clean(address)
        case (.patient, _): return .kept(patientReference)
        case (.structure(let structure), .object(let object)):
            // A modifier that is not understood changes what the element means: it does not leave.
            guard object["modifierExtension"] == nil else { return .dropped }
            let cleaned = clean(object, as: structure)
            return cleaned.members.isEmpty ? .dropped : .kept(.object(cleaned))
        default: return .dropped
        }
    }

    /// LOINC codes whose observation value is the patient's age: age, age reported, age
    /// calculated, current age or age at death.
    static let loincAgeCodes: Set<String> = ["30525-0", "21612-7", "29553-5", "63900-5"]

    /// True if the (cleaned) observation or component's code is one of LOINC's age codes.
    static func isAgeObservation(_ cleaned: JSONObject) -> Bool {
        guard case .object(let code)? = cleaned["code"], case .array(let codings)? = code["coding"] else { return false }
        return codings.contains { coding in
            guard case .object(let coding) = coding, case .string("http://loinc.org")? = coding["system"],
                case .string(let value)? = coding["code"]
            else { return false }
            return loincAgeCodes.contains(value)
        }
    }

    /// A coding of a published terminology, as system and code only (its display is free text).
    static func clean(coding: JSONObject) -> Cleaned {
        guard case .string(let system) = coding["system"], case .string(let code) = coding["code"],
            Terminologies.accepts(system: system, code: code)
        else { return .dropped }
        var kept = JSONObject(members: [("system", .string(system)), ("code", .string(code))])
        if case .bool = coding["userSelected"] { kept.members.append(("userSelected", coding["userSelected"]!)) }
        return .kept(.object(kept))
    }

    /// A member that stands for a withheld element: a primitive's `_name` with the
    /// data-absent-reason extension, a datatype holding only that extension, a backbone element
    /// holding its required children masked.
    private func mask(_ name: String, _ rule: ElementRule) -> (name: String, value: JSONValue) {
        let value = Self.masked(rule.kind)
        if Self.isPrimitive(rule.kind) { return ("_\(name)", value) }
        return (name, rule.isList ? .array([value]) : value)
    }

    private static func masked(_ kind: ElementKind) -> JSONValue {
        guard case .structure(let structure) = kind, structure.isBackbone, !structure.required.isEmpty else { return dataAbsent }
        var object = JSONObject()
        for requirement in structure.required {
            guard let rule = structure.elements[requirement.maskAs] else { continue }
            if let placeholder = requirement.placeholder { object.members.append((requirement.maskAs, placeholder)) }
            let value = masked(rule.kind)
            object.members.append(isPrimitive(rule.kind) ? ("_\(requirement.maskAs)", value) : (requirement.maskAs, rule.isList ? .array([value]) : value))
        }
        return .object(object)
    }

    private static func isPrimitive(_ kind: ElementKind) -> Bool {
        switch kind {
        case .boolean, .integer, .decimal, .code, .year, .instantYear, .integerText, .moved, .birthDate: true
        case .coding, .quantity, .sampledData, .address, .patient, .withheld, .structure: false
        }
    }

    /// An element with FHIR's data-absent-reason extension "masked": withheld for privacy.
    static let dataAbsent = JSONValue.object(
        JSONObject(members: [
            (
                "extension",
                .array([
                    .object(
                        JSONObject(members: [
                            ("url", .string("http://hl7.org/fhir/StructureDefinition/data-absent-reason")),
                            ("valueCode", .string("masked")),
                        ]))
                ])
            )
        ]))
}
