/// Finds which message fields would make a Swift struct contain itself.
///
/// Edges run from a message to the message type of each singular, `optional` or oneof field;
/// `repeated` and map fields are left out because arrays and dictionaries already store their
/// elements on the heap. A field needs indirection exactly when its type can reach the enclosing
/// message again, i.e. both lie in one strongly connected component (Tarjan's algorithm).
struct RecursionAnalysis {
    private var componentOf: [String: Int] = [:]

    /// `edges` maps each message's full name to the full names of the messages it stores inline.
    init(edges: [String: [String]]) {
        var tarjan = Tarjan(edges: edges)
        for node in edges.keys.sorted() where tarjan.indexOf[node] == nil {
            tarjan.visit(node)
        }
        componentOf = tarjan.componentOf
    }

    /// Whether a field of type `fieldType` stored inline in `container` closes a cycle.
    func needsIndirection(container: String, fieldType: String) -> Bool {
        guard let containerComponent = componentOf[container] else { return false }
        return componentOf[fieldType] == containerComponent
    }

    /// The graph edges contributed by one file: message → message types it stores inline.
    static func inlineEdges(in syntax: FileSyntax, resolver: TypeResolver) throws(CompileError) -> [String: [String]] {
        var edges: [String: [String]] = [:]
        func collect(_ message: MessageSyntax, scope: String) throws(CompileError) {
            let fullName = SymbolTable.qualified(message.name, in: scope)
            var targets: [String] = []
            for field in message.fields where field.label != .repeated {
                guard case .named(let name) = field.type else { continue }
                let symbol = try resolver.resolveType(name, in: fullName, at: field.typePosition)
                if symbol.kind == .message { targets.append(symbol.fullName) }
            }
            edges[fullName] = targets
            for nested in message.messages {
                try collect(nested, scope: fullName)
            }
        }
        for message in syntax.messages {
            try collect(message, scope: syntax.package?.name ?? "")
        }
        return edges
    }

    private struct Tarjan {
        let edges: [String: [String]]
        var indexOf: [String: Int] = [:]
        var lowLink: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var componentOf: [String: Int] = [:]
        var nextIndex = 0
        var nextComponent = 0

        init(edges: [String: [String]]) {
            self.edges = edges
        }

        mutating func visit(_ node: String) {
            indexOf[node] = nextIndex
            lowLink[node] = nextIndex
            nextIndex += 1
            stack.append(node)
            onStack.insert(node)
            for target in edges[node] ?? [] {
                if indexOf[target] == nil {
                    visit(target)
                    lowLink[node] = min(lowLink[node]!, lowLink[target]!)
                } else if onStack.contains(target) {
                    lowLink[node] = min(lowLink[node]!, indexOf[target]!)
                }
            }
            guard lowLink[node] == indexOf[node] else { return }
            while let member = stack.popLast() {
                onStack.remove(member)
                componentOf[member] = nextComponent
                if member == node { break }
            }
            nextComponent += 1
        }
    }
}
