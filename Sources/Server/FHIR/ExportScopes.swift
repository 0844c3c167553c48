/// The SMART system scopes a backend client asked for, narrowed to what a study export can give:
/// read access (`.r`/`.rs`… in SMART v2, `.read`/`.*` in v1) to `*` or to a resource type an
/// export carries. Other scopes (write-only, patient or user scopes, types never exported,
/// query-narrowed scopes) are not granted.
struct ExportScopes: Sendable, Equatable {
    /// The requested scopes that were granted, in the order asked; the token response lists them.
    let granted: [String]
    /// The resource types the granted scopes open.
    let resourceTypes: Set<String>

    /// The scopes this server advertises in its SMART configuration.
    static func advertised(exportable: [String]) -> [String] {
        ["system/*.rs", "system/*.read"] + exportable.map { "system/\($0).rs" }
    }

    /// Grants from `requested` (space-separated, as in the token request's `scope`) what an
    /// export of `exportable` types can give.
    init(requested: String, exportable: Set<String>) {
        var granted: [String] = []
        var types = Set<String>()
        for scope in requested.split(separator: " ").map(String.init) where !granted.contains(scope) {
            guard let opened = Self.types(opening: scope, exportable: exportable) else { continue }
            granted.append(scope)
            types.formUnion(opened)
        }
        self.granted = granted
        self.resourceTypes = types
    }

    /// The types `scope` gives read access to, or nil if it grants nothing here.
    private static func types(opening scope: String, exportable: Set<String>) -> Set<String>? {
        guard scope.hasPrefix("system/"), !scope.contains("?") else { return nil }
        let body = scope.dropFirst("system/".count)
        guard let dot = body.lastIndex(of: "."), dot != body.startIndex else { return nil }
        let resource = String(body[..<dot])
        let permissions = String(body[body.index(after: dot)...])
        guard readsResources(permissions) else { return nil }
        if resource == "*" { return exportable }
        return exportable.contains(resource) ? [resource] : nil
    }

    /// True for SMART v1 `read` or `*`, and for a v2 permission string (a subsequence of `cruds`) holding `r`.
    private static func readsResources(_ permissions: String) -> Bool {
        if permissions == "read" || permissions == "*" { return true }
        var remaining = Substring("cruds")
        for letter in permissions {
            guard let found = remaining.firstIndex(of: letter) else { return false }
            remaining = remaining[remaining.index(after: found)...]
        }
        return !permissions.isEmpty && permissions.contains("r")
    }
}
