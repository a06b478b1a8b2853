/// Accumulates source text with consistent four-space indentation and no trailing spaces.
struct CodeWriter {
    private(set) var text = ""
    private var level = 0

    /// Appends one line at the current indentation (an empty line stays empty).
    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: level) + content + "\n"
        }
    }

    /// Appends `opening`, the lines `body` writes one level deeper, and `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout CodeWriter) -> Void) {
        line(opening)
        level += 1
        body(&self)
        level -= 1
        line(closing)
    }

    /// Writes `opening` + items joined by ", " + `closing` on one line when it fits in `width` columns,
    /// else `opening`, one item per line one level deeper, and `closing`. Items are separated by commas;
    /// the last gets one too only with `trailingComma` (parameter lists take none before Swift 6.1).
    mutating func list(_ opening: String, _ items: [String], _ closing: String, width: Int = 100,
                       trailingComma: Bool = true) {
        let single = opening + items.joined(separator: ", ") + closing
        if single.count + 4 * level <= width || items.isEmpty {
            line(single)
            return
        }
        line(opening)
        level += 1
        for (index, item) in items.enumerated() {
            line(item + (index + 1 < items.count || trailingComma ? "," : ""))
        }
        level -= 1
        line(closing)
    }

    /// Writes `body` one level deeper.
    mutating func indented(_ body: (inout CodeWriter) -> Void) {
        level += 1
        body(&self)
        level -= 1
    }
}
