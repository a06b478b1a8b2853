import Foundation

/// The certification of a surrogate as one self-contained HTML page (inline CSS and SVG, no network
/// access): the overall figures, the refinement if there was one, per rule a bar of its certified,
/// refuted and undecided shares of mass, its counterexamples with the network's answers, and the listing.
/// Deterministic: the time the certification took is left out.
public enum CertificationReport {
    /// Width in pixels of a rule's bar of mass.
    static let barWidth = 300.0

    /// The page for `result`, the certification of `listing`'s surrogate on `network`.
    public static func render(_ result: RuleCertifier.Result, network: Network, listing: String) -> String {
        var html = """
        <p>\(SVGBarChart.escape(CertificationText.summary(result))).</p>

        """
        if !result.refinement.isEmpty {
            html += "<h2>Refinement</h2>\n<table><tr><th>surrogate</th><th>counterexamples added</th><th>certified mass</th><th>kept</th></tr>\n"
            for (index, step) in result.refinement.enumerated() {
                html += "<tr><td>\(index == 0 ? "as fitted" : "refit \(index)")</td><td>\(step.counterexamples)</td>"
                    + "<td>\(NumberText.percent(step.certifiedMass))</td><td>\(step.kept ? "yes" : "no")</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += """
        <h2>Rules</h2>
        <p>Each bar is the rule's mass (the drawn points it decides): <span style="color:#2e7d32">certified</span>, <span style="color:#c62828">refuted</span>, <span style="color:#757575">undecided</span>.</p>
        <table><tr><th>rule</th><th>\(network.task == .classification ? "class" : "output")</th><th>points</th><th>mass</th><th>certified</th><th>refuted</th><th>undecided</th><th>certified boxes</th><th>counterexamples</th></tr>

        """
        for rule in result.rules {
            let decision = rule.region.predictedClass.map { network.outputs[$0] }
                ?? rule.region.values.map { NumberText.significant($0, digits: 6) }.joined(separator: ", ")
            html += "<tr><td>\(SVGBarChart.escape(rule.region.name))</td><td>\(SVGBarChart.escape(decision))</td><td>\(rule.points)</td>"
                + "<td>\(bar(rule))</td><td>\(NumberText.percent(rule.certifiedMass))</td><td>\(NumberText.percent(rule.refutedMass))</td>"
                + "<td>\(NumberText.percent(rule.undecidedMass))</td><td>\(rule.certifiedBoxes.count)</td><td>\(rule.counterexamples.count)</td></tr>\n"
        }
        html += "</table>\n"
        let examples = result.rules.filter { !$0.counterexamples.isEmpty }
        if !examples.isEmpty {
            html += "<h2>Counterexamples</h2>\n<p>Points inside a rule's region where the network disagrees with the rule.</p>\n"
            html += "<table><tr><th>rule</th>" + network.schema.features.map { "<th>\(SVGBarChart.escape($0.name))</th>" }.joined()
                + "<th>network</th></tr>\n"
            for rule in examples {
                for example in rule.counterexamples {
                    let inputs = zip(network.schema.features, example.inputs).map { feature, value in
                        "<td>\(SVGBarChart.escape(RawValueText.text(value, of: feature, digits: 6)))</td>"
                    }
                    let answers = zip(network.outputs, example.outputs).map { "\($0) \(NumberText.significant($1, digits: 4))" }.joined(separator: ", ")
                    html += "<tr><td>\(SVGBarChart.escape(rule.region.name))</td>" + inputs.joined() + "<td>\(SVGBarChart.escape(answers))</td></tr>\n"
                }
            }
            html += "</table>\n"
        }
        html += "<h2>Listing</h2>\n<pre>\(SVGBarChart.escape(listing))</pre>\n"
        return HTMLPage.document(title: "distill certification: \(network.name)", body: html)
    }

    /// A bar `barWidth` wide: certified, refuted and undecided shares side by side.
    static func bar(_ rule: RuleCertifier.RuleResult) -> String {
        var x = 0.0, parts = ""
        for (share, style) in [(rule.certifiedMass, "certified"), (rule.refutedMass, "refuted"), (rule.undecidedMass, "undecided")] {
            let width = (share * barWidth * 100).rounded() / 100
            if width > 0 { parts += "<rect class=\"\(style)\" x=\"\(NumberText.shortest(x))\" y=\"0\" width=\"\(NumberText.shortest(width))\" height=\"14\"/>" }
            x += width
        }
        return "<svg width=\"\(Int(barWidth))\" height=\"14\" role=\"img\">\(parts)</svg>"
    }
}
