internal import Foundation

/// Recursive and direct pins, persisted as one JSON file replaced atomically on every change,
/// so the pins after a crash are those of the last completed operation.
struct PinSet: Codable, Equatable {
    var recursive: Set<String> = []
    var direct: Set<String> = []

    static func load(from path: String) throws(ContentError) -> PinSet {
        guard let data = FileManager.default.contents(atPath: path) else { return PinSet() }
        do {
            return try JSONDecoder().decode(PinSet.self, from: data)
        } catch {
            throw .io(path: path, reason: "unreadable pin file: \(error)")
        }
    }

    func save(to path: String) throws(ContentError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data: Data
        do {
            data = try encoder.encode(self)
        } catch {
            throw .io(path: path, reason: "cannot encode pins: \(error)")
        }
        try DurableFile.write(data, to: path)
    }
}
