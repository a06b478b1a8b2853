import Foundation

/// One self-contained HTML page (inline CSS and SVG, no network access): the model summary, the
/// comparison table and plot, the rules of the smallest surrogate with at least 95% fidelity, and the
/// permutation-importance ranking; and, when given, the "Inside the network" section (`NeuronHTML.section`).
public enum HTMLReport {
    /// Renders the report page for a comparison.
    /// - Parameters:
    ///   - comparison: The comparison whose table, plot, summary and chosen rules are shown.
    ///   - sensitivity: When given, its permutation-importance chart is added.
    ///   - inside: When given, an HTML section appended at the end of the body.
    ///   - naming: How option names are shown in the rule listing; `OptionNaming.fields` by default.
    /// - Returns: The complete HTML document.
    public static func render(_ comparison: Comparison, sensitivity: SensitivityAnalysis?, inside: String? = nil,
                              naming: OptionNaming = .fields) -> String {
        let network = comparison.network
        var html = """
        <p>\(network.task.rawValue) network · \(network.schema.count) inputs · \(network.parameterCount) parameters · \(comparison.heldoutRows) held-out rows\(comparison.networkAccuracy.map { " · network accuracy \(NumberText.percent($0))" } ?? "")</p>
        <h2>Fidelity against size</h2>
        \(SVGLinePlot.render(comparison))
        <ul>\(ComparisonReport.summary(comparison).map { "<li>\(SVGBarChart.escape($0))</li>" }.joined())</ul>
        <h2>Comparison</h2>
        <table><tr><th>kind</th><th>setting</th><th>fidelity</th><th>95% interval</th><th>domain fidelity</th><th>95% interval</th><th>accuracy</th><th>95% interval</th><th>leaves</th><th>rules</th><th>conditions</th><th>parameters</th></tr>

        """
        for row in comparison.rows {
            // Every cell but the Pareto mark, which the row's style shows.
            let cells = ComparisonReport.cells(row, timing: false).prefix(12)
            html += "<tr\(row.pareto ? " class=\"pareto\"" : "")>" + cells.map { "<td>\(SVGBarChart.escape($0))</td>" }.joined() + "</tr>\n"
        }
        html += "</table><p>Bold rows lie on the Pareto frontier of fidelity against size.</p>\n"
        // The smallest surrogate with at least 95% fidelity, else the most faithful one.
        let faithful = comparison.smallest(where: { $0.fidelity >= 0.95 })
        let best = comparison.rows.filter { $0.extraction != nil }.max { ($0.fidelity, -($0.conditions ?? 0)) < ($1.fidelity, -($1.conditions ?? 0)) }
        if let chosen = faithful ?? best, let extraction = chosen.extraction {
            let why = faithful != nil ? "the smallest surrogate with at least 95% fidelity" : "the most faithful surrogate (none reached 95%)"
            html += "<h2>Rules of \(why): \(SVGBarChart.escape(chosen.kind)) \(SVGBarChart.escape(ComparisonReport.settingText(chosen)))</h2>\n"
            html += "<pre>\(SVGBarChart.escape(RuleListing.render(extraction, command: "distill compare", naming: naming)))</pre>\n"
        }
        let pruned = comparison.rows.filter { $0.kind == "pruned-network" }
        if !pruned.isEmpty {
            html += "<h2>Pruning</h2>\n<ul>" + pruned.map { row in
                "<li>budget \(SVGBarChart.escape(ComparisonReport.settingText(row).replacingOccurrences(of: "max-fidelity-loss=", with: ""))) points: \(row.parameters ?? 0) of \(network.parameterCount) parameters, held-out agreement with the network \(NumberText.percent(row.fidelity))</li>"
            }.joined() + "</ul>\n"
        }
        if let sensitivity {
            html += "<h2>Which inputs drive the network</h2>\n" + SVGBarChart.render(title: "Permutation importance (share of decisions changed)", panels: sensitivity.chartPanels)
        }
        if let inside { html += inside }
        return HTMLPage.document(title: "distill report: \(network.name)", body: html)
    }
}
