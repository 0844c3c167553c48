internal import Wire

/// How one element of a FHIR R4 resource or datatype may leave a research export. Only elements
/// that a rule names leave at all; the kind decides what of the value is kept.
struct ElementRule: Sendable {
    var kind: ElementKind
    /// `0..*` or `1..*` in R4: the JSON value is an array.
    var isList: Bool

    static func one(_ kind: ElementKind) -> ElementRule { ElementRule(kind: kind, isList: false) }
    static func many(_ kind: ElementKind) -> ElementRule { ElementRule(kind: kind, isList: true) }
}

/// The kinds of value an exported element may hold. None of them is free text: every string that
/// leaves is a date cut to its year, a code of a closed value set or of a known terminology, or
/// a value the de-identifier wrote itself (pseudonym, masks).
indirect enum ElementKind: Sendable {
    case boolean
    /// `integer`, `unsignedInt` (minimum 0) or `positiveInt` (minimum 1).
    case integer(minimum: Int)
    case decimal
    /// A `code` with a required binding: only the value set's codes leave.
    case code(Set<String>)
    /// A `date` or `dateTime`: only its year leaves.
    case year
    /// An `instant` reduced to its year, which only a `dateTime` can hold: used under `moved`.
    case instantYear
    /// A `string` that holds nothing but a whole number (≥ `minimum`), as that number: used
    /// under `moved` (e.g. `doseNumberString` "2" → `doseNumberPositiveInt` 2).
    case integerText(minimum: Int)
    /// A choice variant that cannot leave as it is, cleaned by the inner kind and written under
    /// the variant named here (e.g. `effectiveInstant` → `effectiveDateTime` as a year;
    /// `occurrenceString` → `occurrenceDateTime` when the text is a date). Dropped if the source
    /// also has that variant.
    case moved(into: String, ElementKind)
    /// `Patient.birthDate`: its year, unless that shows an age over 89 (then masked).
    case birthDate
    case coding
    case quantity(QuantityKind)
    case sampledData
    /// `Patient.address`: state, the 3-digit ZIP Safe Harbor allows, country; nothing finer.
    case address
    /// A reference to the record's patient: replaced by the per-study pseudonym.
    case patient
    /// An element that never leaves but, being required, is masked where the source had it
    /// (e.g. `medicationReference`, a reference to another resource).
    case withheld
    case structure(Structure)
}

/// The variants of `Quantity` R4 uses; they differ in whether a comparator is allowed.
enum QuantityKind: Sendable {
    case quantity, simple, age, duration

    var allowsComparator: Bool { self != .simple }
}

/// A complex datatype, backbone element or resource: the elements that may leave and those R4
/// requires (which are masked, not dropped, when the source had them but cleaning emptied them).
struct Structure: Sendable {
    let name: String
    let elements: [String: ElementRule]
    var required: [RequiredElement] = []
    /// A backbone element's mask is its required children masked; a datatype's is an empty
    /// element with the data-absent-reason extension.
    var isBackbone = false

    /// An Observation or one of its components: where a value can be the patient's age.
    var isObservation: Bool { name == "Observation" || name == "Observation.component" }
}

/// A required element, or a required choice (`occurrence[x]`) and the variant its mask takes.
struct RequiredElement: Sendable {
    /// The element's name, or a choice's stem (`occurrence`).
    let name: String
    /// The name the mask is written under.
    let maskAs: String
    /// For a required choice of primitives, the value the masked variant carries besides its
    /// data-absent-reason extension: R4 allows a primitive with the extension alone, but
    /// validators (fhir.resources among them) demand a value for a required choice.
    var placeholder: JSONValue? = nil

    static func element(_ name: String) -> RequiredElement { RequiredElement(name: name, maskAs: name) }
    static func choice(_ stem: String, maskAs: String, placeholder: JSONValue? = nil) -> RequiredElement {
        RequiredElement(name: stem, maskAs: maskAs, placeholder: placeholder)
    }

    /// True if the source member `member` is this element or one variant of this choice.
    func isSatisfied(byMember member: String) -> Bool {
        if member == name { return true }
        guard name != maskAs, member.hasPrefix(name), let next = member.dropFirst(name.count).first else { return false }
        return next.isUppercase
    }
}
