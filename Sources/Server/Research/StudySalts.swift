internal import Crypto
internal import Foundation
internal import Identity
internal import Wire

/// One secret salt per study, made on the study's first export and kept by the node (mode 0600),
/// so the study's pseudonyms are stable across exports yet nobody without the salt — not even
/// someone who knows every patient ID — can link them to patients or to another study's.
struct StudySalts: Sendable {
    let directory: URL

    func salt(for studyID: String) throws -> SymmetricKey {
        let allowed = studyID.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !studyID.isEmpty, allowed, !studyID.hasPrefix(".") else {
            throw ExportRefusal.invalid("study ID \(QuotedInput.quote(studyID)) must be letters, digits, '-', '_' or '.'")
        }
        let path = directory.appendingPathComponent("\(studyID).salt").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let saved = Hex.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), saved.count == 32 {
            return SymmetricKey(data: saved)
        }
        try SecureFile.makeDirectory(directory.path)
        let salt = SymmetricKey(size: .bits256)
        try SecureFile.save(salt.withUnsafeBytes { Hex.encode($0) }, to: path, mode: 0o600)
        return salt
    }
}

/// Why an export is refused before it starts.
enum ExportRefusal: Error {
    case invalid(String)
}
