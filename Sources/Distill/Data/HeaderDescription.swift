import Foundation

/// How a diagnostic about a missing column describes the CSV header: every name of a short header, the
/// first and last names of a long one (an image's 784 pixel columns would fill the screen), and the
/// header's name closest to the one missing when it differs only in case, surrounding spaces or a
/// character or two (`Label` for `label`, `species ` for `species`).
enum HeaderDescription {
    /// Headers up to this many names are listed whole.
    static let listedWhole = 12

    /// "the header has: a, b, c", or "the header has 785 columns: p0, p1, ..., p783, p784"; then "; did
    /// you mean 'Label'?" when a name not in `taken` (the columns other inputs already read) is close to
    /// `missing`.
    static func describe(_ header: [String], missing: String, taken: Set<String> = []) -> String {
        var text: String
        if header.count <= listedWhole {
            text = "the header has: " + header.joined(separator: ", ")
        } else {
            text = "the header has \(header.count) columns: " + header.prefix(8).joined(separator: ", ") + ", ..., "
                + header.suffix(2).joined(separator: ", ")
        }
        if let close = closest(to: missing, in: header.filter { !taken.contains($0) }) { text += "; did you mean '\(close)'?" }
        return text
    }

    /// The header name equal to `name` but for case and surrounding spaces, else the nearest within two
    /// edits of it (one for names of 4 or 5 characters, none for shorter ones), the first in header order
    /// among equally near ones.
    static func closest(to name: String, in header: [String]) -> String? {
        func folded(_ text: String) -> String { text.trimmingCharacters(in: .whitespaces).lowercased() }
        let target = folded(name)
        if let same = header.first(where: { $0 != name && folded($0) == target }) { return same }
        guard target.count > 3 else { return nil }
        let limit = target.count <= 5 ? 1 : 2
        let targetCharacters = Array(target)
        var best: (name: String, distance: Int)?
        for candidate in header {
            let characters = Array(folded(candidate))
            guard abs(characters.count - targetCharacters.count) <= limit else { continue }
            let distance = editDistance(characters, targetCharacters)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
