/// A `SensitivityNote` in words, as the report's `# note:` lines and the JSON's `notes` show it.
public enum SensitivityNoteText {
    /// The note as one sentence.
    public static func render(_ note: SensitivityNote) -> String {
        switch note {
        case let .completenessGap(gap, steps, rule, baseline):
            let how = rule == .gaussLegendre ? "Gauss-Legendre panels split at ReLU switches" : rule.rawValue
            return "integrated gradients: largest completeness gap |sum of attributions - (f(x) - f(baseline))| = \(NumberText.significant(gap, digits: 3)) of the change (\(steps) steps, \(how), \(baseline) baseline)"
        case let .negativeSobol(index, feature, value):
            let why = index == "sobol_first" ? "its true value is near zero and the estimate is noise; shown as estimated" : "shown as estimated"
            return "\(index) of '\(feature)' is negative (\(NumberText.significant(value, digits: 3))): \(why)"
        case let .sobolIntervals(evaluations, samples, dimensions, blocks, rate):
            return "sobol: \(evaluations) network evaluations (N = \(samples), d = \(dimensions)); 95% intervals from \(blocks) blocks of the sequence, assuming the error falls as N^-\(NumberText.trimmed(rate, decimals: 2)) from block to whole (networks converge little faster than Monte Carlo's N^-0.5; see docs/sensitivity.md)"
        case let .shapley(explained, rows, seed, coalitions, orderings, background, otherRows):
            let how = coalitions.map { "exact (all \($0) coalitions)" } ?? "sampled (\(orderings) orderings and their mirrors per row)"
            return "shapley: mean |interventional Shapley value| over \(explained) of \(rows) rows (seed \(seed)), "
                + "\(how), against a background of \(background) \(otherRows ? "other rows" : "of the same rows (no others)"); 95% intervals over the rows explained"
        case let .occlusion(target, patch, baseline, rows):
            return "occlusion: mean |change of \(target)| when a \(patch) x \(patch) patch is set to the \(baseline) baseline, over \(rows) rows"
        }
    }
}
