/// The proto3 front end: reads `.proto` files from import roots, checks them and describes them
/// as `FileModel`s for the Swift emitters.
///
/// It is a pipeline — load and parse every reachable file, define all symbols, check each file,
/// analyse recursion, build models — and stops at the first `CompileError`.
public struct ProtoCompiler {
    /// Directories that file names are relative to, searched in order (like protoc's `-I`).
    public var importRoots: [String]

    public init(importRoots: [String]) {
        self.importRoots = importRoots
    }

    /// Parses, checks and models the given files (paths relative to an import root) and everything
    /// they import; returns the models of the requested files in the order given.
    public func compile(_ paths: [String]) throws(CompileError) -> [FileModel] {
        var tree = SourceTree(importRoots: importRoots)
        for path in paths {
            try tree.load(path)
        }
        var symbols = SymbolTable()
        for path in tree.dependencyOrder {
            try symbols.define(tree.files[path]!)
        }
        // Imported files are checked too: a model is only trustworthy if what it refers to is.
        var edges: [String: [String]] = [:]
        for path in tree.dependencyOrder {
            let checker = SemanticChecker(syntax: tree.files[path]!, symbols: symbols, visibleFiles: tree.visibleFiles(from: path))
            try checker.check()
            edges.merge(try RecursionAnalysis.inlineEdges(in: checker.syntax, resolver: checker.resolver)) { $0 + $1 }
        }
        let recursion = RecursionAnalysis(edges: edges)
        var models: [FileModel] = []
        for path in paths {
            let builder = ModelBuilder(syntax: tree.files[path]!, symbols: symbols, visibleFiles: tree.visibleFiles(from: path), recursion: recursion)
            var model = try builder.build()
            model.imports = tree.files[path]!.imports.map(\.path)
            model.descriptor = try FileDescriptorEncoder(syntax: tree.files[path]!, resolver: builder.resolver).encode()
            models.append(model)
        }
        return models
    }
}
