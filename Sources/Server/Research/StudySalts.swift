internal import Crypto
internal import Foundation
internal import Identity

/// One secret salt per study, made on the study's first export and kept by the node (mode 0600),
/// so the study's pseudonyms are stable across exports yet nobody without the salt — not even
/// someone who knows every patient ID — can link them to patients or to another study's.
struct StudySalts: Sendable {
    let directory: URL

    func salt(for studyID: String) throws -> SymmetricKey {
        let allowed = studyID.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
        guard !studyID.isEmpty, allowed, !studyID.hasPrefix(".") else {
            throw ExportRefusal.invalid("study ID '\(studyID)' must be letters, digits, '-', '_' or '.'")
        }
        let path = directory.appendingPathComponent("\(studyID).salt").path
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let saved = Self.bytes(hex: text), saved.count == 32 {
            return SymmetricKey(data: saved)
        }
        try SecureFile.makeDirectory(directory.path)
        let salt = SymmetricKey(size: .bits256)
        try SecureFile.save(salt.withUnsafeBytes { Hex.encode($0) }, to: path, mode: 0o600)
        return salt
    }
}

extension StudySalts {
    static func bytes(hex: String) -> Data? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = Data()
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}

/// Why an export is refused before it starts.
enum ExportRefusal: Error {
    case invalid(String)
}
