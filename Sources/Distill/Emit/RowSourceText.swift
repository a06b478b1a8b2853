/// A `RowSource` as the listings' `# fitted on` and `# held out` lines say it ("120 of the 150 rows of
/// train.csv", "the other 30 rows ({testFraction} 0.25 = 25%, seed 1)"); settings fields appear as
/// `{field}` for an `OptionNaming` to substitute.
enum RowSourceText {
    /// The source in one phrase.
    static func render(_ source: RowSource) -> String {
        let noun = source.origin == .domain ? "points" : "rows"
        var text: String
        if let split = source.split {
            if source.evenlySpaced, let total = source.total {
                text = "\(source.rows) evenly spaced of the other \(total) rows \(note(split, held: total))"
            } else {
                text = "the other \(source.rows) rows \(note(split, held: source.rows))"
            }
        } else if let total = source.total {
            text = "\(source.rows)\(source.evenlySpaced ? " evenly spaced" : "") of the \(total) \(noun) \(place(source.origin))"
        } else {
            text = "\(source.rows) \(noun) \(place(source.origin))"
        }
        if let whole = source.streamedWhole { text += ", streamed (held as bins, \(whole) whole)" }
        return text
    }

    /// Where rows of `origin` come from, after the count.
    static func place(_ origin: RowSource.Origin) -> String {
        switch origin {
        case .memory: return "given in memory"
        case let .file(path): return "of \(path)"
        case .domain: return "drawn uniformly from the model's declared input domain"
        }
    }

    /// The split's share and seed, saying so when rounding to whole rows (at least one held out, one kept)
    /// moved the share by more than a point.
    static func note(_ split: RowSource.Split, held: Int) -> String {
        let percent = NumberText.trimmed(split.fraction * 100, decimals: 1)
        guard split.whole > 0, abs(Double(held) / Double(split.whole) - split.fraction) > 0.01 else {
            return "({testFraction} \(split.fraction) = \(percent)%, seed \(split.seed))"
        }
        let share = NumberText.trimmed(Double(held) / Double(split.whole) * 100, decimals: 1)
        return "({testFraction} \(split.fraction) = \(percent)%, which leaves \(held) of \(split.whole) rows = \(share)% in whole rows, seed \(split.seed))"
    }
}
