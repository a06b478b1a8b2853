/// Renders a comparison as an aligned text table (with the summary), CSV, and the `--json` document of
/// the contract (`{"network": {"accuracy"}, "rows": [{kind, setting, fidelity, fidelity_ci, domain_fidelity,
/// domain_ci, accuracy, accuracy_ci, leaves, rules, conditions, parameters, pareto[, seconds]}], "summary"}`).
/// Seconds vary from run to run, so every form carries them only when asked (`timing`): without, two runs
/// with the same seed give byte-identical files.
public enum ComparisonReport {
    static func cells(_ row: ComparisonRow, timing: Bool) -> [String] {
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        func interval(_ bounds: Interval?) -> String {
            bounds.map { "[\(NumberText.percent($0.low)), \(NumberText.percent($0.high))]" } ?? "-"
        }
        var domain = "-"
        if let fidelity = row.domainFidelity {
            domain = row.domainInterval == nil ? "R² " + NumberText.trimmed(fidelity, decimals: 4) : NumberText.percent(fidelity)
        }
        var cells: [String] = [row.kind, settingText(row), NumberText.percent(row.fidelity), interval(row.fidelityInterval),
                               domain, interval(row.domainInterval)]
        cells += [row.accuracy.map(NumberText.percent) ?? "-", interval(row.accuracyInterval), optional(row.leaves),
                  optional(row.rules), optional(row.conditions), optional(row.parameters), row.pareto ? "*" : ""]
        if timing { cells.append(NumberText.trimmed(row.seconds, decimals: 3)) }
        return cells
    }

    /// The comparison as an aligned text table under a header line, followed by the summary lines.
    /// - Parameters:
    ///   - comparison: The comparison to render.
    ///   - timing: Whether to add a `seconds` column; off by default.
    /// - Returns: The table, ending in a newline.
    public static func text(_ comparison: Comparison, timing: Bool = false) -> String {
        var header = ["kind", "setting", "fidelity", "95% interval", "domain fidelity", "95% interval", "accuracy", "95% interval",
                      "leaves", "rules", "conditions",
                      "parameters", "pareto"]
        if timing { header.append("seconds") }
        let table = [header] + comparison.rows.map { cells($0, timing: timing) }
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines = ["# comparison for \(comparison.network.name) · \(comparison.heldoutRows) held-out rows" +
                     (comparison.networkAccuracy.map { " · network accuracy \(NumberText.percent($0))" } ?? "")]
        for row in table {
            lines.append(row.indices.map { RuleListing.pad(row[$0], widths[$0]) }.joined(separator: "  ").replacingTrailingSpaces())
        }
        lines.append("")
        lines += summary(comparison).map { "# " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison's rows as CSV with a header line; numbers in round-trip form, missing values empty.
    /// - Parameters:
    ///   - comparison: The comparison to render.
    ///   - timing: Whether to add a `seconds` column (fitting time, which varies from run to run); off by default.
    /// - Returns: The CSV text, one line per row, each ending in a newline.
    public static func csv(_ comparison: Comparison, timing: Bool = false) -> String {
        var text = "kind,setting,fidelity,fidelity_low,fidelity_high,domain_fidelity,domain_low,domain_high,accuracy,leaves,rules,conditions,parameters,pareto"
            + (timing ? ",seconds\n" : "\n")
        for row in comparison.rows {
            func optional(_ value: Int?) -> String { value.map(String.init) ?? "" }
            text += [row.kind, settingText(row), NumberText.roundTrip(row.fidelity), NumberText.roundTrip(row.fidelityInterval.low),
                     NumberText.roundTrip(row.fidelityInterval.high), row.domainFidelity.map(NumberText.roundTrip) ?? "",
                     row.domainInterval.map { NumberText.roundTrip($0.low) } ?? "", row.domainInterval.map { NumberText.roundTrip($0.high) } ?? "",
                     row.accuracy.map(NumberText.roundTrip) ?? "",
                     optional(row.leaves), optional(row.rules), optional(row.conditions), optional(row.parameters),
                     row.pareto ? "true" : "false"].joined(separator: ",") + (timing ? ",\(NumberText.roundTrip(row.seconds))" : "") + "\n"
        }
        return text
    }

    /// The comparison as the `--json` document: the network's accuracy, the rows (with `accuracy_ci`) and the
    /// summary lines; missing values are `null`.
    /// - Parameters:
    ///   - comparison: The comparison to render.
    ///   - timing: Whether each row carries `seconds` (fitting time, which varies from run to run); off by default.
    /// - Returns: The JSON text.
    public static func json(_ comparison: Comparison, timing: Bool = false) -> String {
        func optional(_ value: Int?) -> JSONOutput { value.map { .int($0) } ?? .null }
        let rows: [JSONOutput] = comparison.rows.map { row in
            .object([("kind", .string(row.kind)), ("setting", .string(settingText(row))), ("fidelity", .number(row.fidelity)),
                     ("fidelity_ci", .array([.number(row.fidelityInterval.low), .number(row.fidelityInterval.high)])),
                     ("domain_fidelity", row.domainFidelity.map { .number($0) } ?? .null),
                     ("domain_ci", row.domainInterval.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                     ("accuracy", row.accuracy.map { .number($0) } ?? .null),
                     ("accuracy_ci", row.accuracyInterval.map { .array([.number($0.low), .number($0.high)]) } ?? .null),
                     ("leaves", optional(row.leaves)),
                     ("rules", optional(row.rules)), ("conditions", optional(row.conditions)),
                     ("parameters", optional(row.parameters)), ("pareto", .bool(row.pareto))]
                    + (timing ? [("seconds", .number(row.seconds))] : []))
        }
        return JSONOutput.object([
            ("network", .object([("accuracy", comparison.networkAccuracy.map { .number($0) } ?? .null)])),
            ("rows", .array(rows)),
            ("summary", .array(summary(comparison).map { .string($0) })),
        ]).render()
    }

    /// A row's setting as reports show it: the size, with the winning kind of `best` ("max-leaves=8
    /// (rule-search)") or where pruning stopped at the work bound.
    public static func settingText(_ row: ComparisonRow) -> String {
        if let winner = row.winner { return "\(row.setting) (\(winner))" }
        if let rounds = row.roundsAtWorkBound { return "\(row.setting) (stopped at the work bound after \(rounds) rounds)" }
        return row.setting
    }

    /// The three usual questions, answered.
    public static func summary(_ comparison: Comparison) -> [String] {
        func describe(_ row: ComparisonRow?) -> String {
            guard let row else { return "none in this sweep" }
            return "\(row.kind) \(settingText(row)): \(row.conditions ?? 0) conditions, fidelity \(NumberText.percent(row.fidelity))" +
                (row.accuracy.map { ", accuracy \(NumberText.percent($0))" } ?? "")
        }
        var lines: [String] = []
        if let accuracy = comparison.networkAccuracy {
            lines.append("smallest surrogate within 1 point of the network's accuracy (\(NumberText.percent(accuracy))): " +
                         describe(comparison.smallest { ($0.accuracy ?? -1) >= accuracy - 0.01 }))
        }
        lines.append("smallest surrogate with at least 95% fidelity: " + describe(comparison.smallest { $0.fidelity >= 0.95 }))
        lines.append("smallest surrogate with at least 99% fidelity: " + describe(comparison.smallest { $0.fidelity >= 0.99 }))
        return lines
    }
}
