import Foundation

/// Every `.proto` file reachable from the requested ones, parsed, with its imports in an order
/// where each file comes after everything it imports.
///
/// Files are named relative to an import root (like protoc's `-I`); the first root containing a
/// path wins. Import cycles are reported at the import that closes them.
struct SourceTree {
    /// Parsed files keyed by path relative to their import root.
    private(set) var files: [String: FileSyntax] = [:]
    /// Paths in dependency order: imports before importers.
    private(set) var dependencyOrder: [String] = []

    private let importRoots: [String]
    /// Files whose imports are being loaded right now, outermost first; reaching one of them
    /// again means the imports form a cycle.
    private var loadingStack: [String] = []

    init(importRoots: [String]) {
        self.importRoots = importRoots
    }

    /// Loads `path` and, transitively, everything it imports.
    mutating func load(_ path: String) throws(CompileError) {
        try load(path, importedBy: nil)
    }

    /// The files whose top-level names `path` can use: itself, its direct imports, and whatever
    /// those re-export through `import public`, transitively.
    func visibleFiles(from path: String) -> Set<String> {
        var visible: Set<String> = [path]
        var pending = files[path]?.imports.map(\.path) ?? []
        while let next = pending.popLast() {
            guard visible.insert(next).inserted else { continue }
            pending += files[next]?.imports.filter(\.isPublic).map(\.path) ?? []
        }
        return visible
    }

    private mutating func load(_ path: String, importedBy importer: (file: String, statement: ImportSyntax)?) throws(CompileError) {
        if let cycleStart = loadingStack.firstIndex(of: path), let importer {
            let cycle = (loadingStack[cycleStart...] + [path]).joined(separator: " -> ")
            throw CompileError(file: importer.file, at: importer.statement.position, "import cycle: \(cycle)")
        }
        guard files[path] == nil else { return }
        let source = try read(path, importedBy: importer)
        let syntax = try Parser.parse(source: source, file: path)
        try rejectDuplicateImports(in: syntax)

        loadingStack.append(path)
        for statement in syntax.imports {
            try load(statement.path, importedBy: (path, statement))
        }
        loadingStack.removeLast()
        files[path] = syntax
        dependencyOrder.append(path)
    }

    private func read(_ path: String, importedBy importer: (file: String, statement: ImportSyntax)?) throws(CompileError) -> String {
        for root in importRoots {
            let fullPath = URL(fileURLWithPath: root).appendingPathComponent(path).path
            if let data = FileManager.default.contents(atPath: fullPath) {
                return String(decoding: data, as: UTF8.self)
            }
        }
        let message = "file '\(path)' not found in import roots [\(importRoots.joined(separator: ", "))]"
        if let importer {
            throw CompileError(file: importer.file, at: importer.statement.position, "imported " + message)
        }
        throw CompileError(file: path, at: .startOfFile, message)
    }

    private func rejectDuplicateImports(in syntax: FileSyntax) throws(CompileError) {
        var seen: Set<String> = []
        for statement in syntax.imports where !seen.insert(statement.path).inserted {
            throw CompileError(file: syntax.path, at: statement.position, "'\(statement.path)' is imported twice")
        }
    }
}
