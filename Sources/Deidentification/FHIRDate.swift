/// FHIR R4's `date`, `dateTime` and `instant` grammars (the regular expressions of the R4
/// datatypes page) and the one generalisation Safe Harbor allows: the year.
enum FHIRDate {
    /// The year of a valid `date` or `dateTime`; nil for anything else.
    static func yearOfDateTime(_ text: String) -> String? {
        text.wholeMatch(of: dateTime) != nil ? String(text.prefix(4)) : nil
    }

    /// The year of a valid `instant`; nil for anything else.
    static func yearOfInstant(_ text: String) -> String? {
        text.wholeMatch(of: instant) != nil ? String(text.prefix(4)) : nil
    }

    private nonisolated(unsafe) static let dateTime =
        /([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?/

    private nonisolated(unsafe) static let instant =
        /([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))/
}
