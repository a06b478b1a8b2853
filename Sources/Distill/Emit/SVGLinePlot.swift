import Foundation

/// A small SVG line plot: fidelity (solid) and accuracy (dashed) against size (conditions, log scale),
/// one colour per surrogate kind, the network's accuracy as a grey reference line, axis labels, a legend.
public enum SVGLinePlot {
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]

    /// Plots the comparison's rows that have a condition count.
    /// - Parameter comparison: The comparison to plot.
    /// - Returns: The SVG document (720 × 420).
    public static func render(_ comparison: Comparison) -> String {
        let width = 720.0, height = 420.0, left = 70.0, right = 190.0, top = 40.0, bottom = 60.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let rows = comparison.rows.filter { $0.conditions != nil }
        let maxSize = max(Double(rows.compactMap(\.conditions).max() ?? 1), 1)
        let values = rows.flatMap { [$0.fidelity] + ($0.accuracy.map { [$0] } ?? []) } + (comparison.networkAccuracy.map { [$0] } ?? [])
        let low = max(0, floor(((values.min() ?? 0) - 0.02) * 20) / 20), high = 1.0
        func x(_ size: Int) -> Double { left + plotWidth * log(1 + Double(size)) / log(1 + maxSize) }
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / max(high - low, 1e-9)) }
        var body: [String] = []
        body.append("<text x=\"\(Int(left))\" y=\"24\" font-size=\"15\" font-weight=\"bold\">Fidelity and accuracy against size: \(SVGBarChart.escape(comparison.network.name))</text>")
        body.append("<rect x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(plotWidth))\" height=\"\(Int(plotHeight))\" fill=\"none\" stroke=\"#999\"/>")
        for step in stride(from: low, through: high + 1e-9, by: 0.05) {
            body.append("<line x1=\"\(Int(left - 4))\" x2=\"\(Int(left))\" y1=\"\(f(y(step)))\" y2=\"\(f(y(step)))\" stroke=\"#999\"/>")
            body.append("<text x=\"\(Int(left - 8))\" y=\"\(f(y(step) + 4))\" font-size=\"10\" text-anchor=\"end\">\(Int((step * 100).rounded()))%</text>")
        }
        for size in [0, 1, 3, 10, 30, 100, 300, 1000] where Double(size) <= maxSize {
            body.append("<text x=\"\(f(x(size)))\" y=\"\(Int(top + plotHeight + 16))\" font-size=\"10\" text-anchor=\"middle\">\(size)</text>")
        }
        body.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(Int(height - 18))\" font-size=\"12\" text-anchor=\"middle\">size: total conditions (log scale)</text>")
        body.append("<text x=\"16\" y=\"\(f(top + plotHeight / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(top + plotHeight / 2)))\">held-out fidelity / accuracy</text>")
        if let accuracy = comparison.networkAccuracy {
            body.append("<line x1=\"\(Int(left))\" x2=\"\(Int(left + plotWidth))\" y1=\"\(f(y(accuracy)))\" y2=\"\(f(y(accuracy)))\" stroke=\"#777\" stroke-dasharray=\"2,3\"/>")
        }
        var legend: [(String, String, Bool)] = []
        let kinds = rows.map { "\($0.kind) \($0.setting.split(separator: "=").first ?? "")" }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for (index, series) in kinds.enumerated() {
            let colour = colours[index % colours.count]
            let points = rows.filter { "\($0.kind) \($0.setting.split(separator: "=").first ?? "")" == series }.sorted { $0.conditions! < $1.conditions! }
            let fidelity = points.map { "\(f(x($0.conditions!))),\(f(y($0.fidelity)))" }.joined(separator: " ")
            body.append("<polyline points=\"\(fidelity)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
            let accuracy = points.compactMap { row in row.accuracy.map { "\(f(x(row.conditions!))),\(f(y($0)))" } }.joined(separator: " ")
            if !accuracy.isEmpty {
                body.append("<polyline points=\"\(accuracy)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>")
            }
            legend.append((series, colour, true))
        }
        var legendY = top + 8
        for (name, colour, _) in legend {
            body.append("<line x1=\"\(Int(width - right + 14))\" x2=\"\(Int(width - right + 38))\" y1=\"\(f(legendY))\" y2=\"\(f(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
            body.append("<text x=\"\(Int(width - right + 44))\" y=\"\(f(legendY + 4))\" font-size=\"11\">\(SVGBarChart.escape(name))</text>")
            legendY += 18
        }
        body.append("<text x=\"\(Int(width - right + 14))\" y=\"\(f(legendY + 10))\" font-size=\"10\" fill=\"#555\">solid: fidelity; dashed: accuracy</text>")
        if comparison.networkAccuracy != nil {
            body.append("<text x=\"\(Int(width - right + 14))\" y=\"\(f(legendY + 26))\" font-size=\"10\" fill=\"#555\">dotted grey: network accuracy</text>")
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    static func f(_ value: Double) -> String { NumberText.trimmed(value, decimals: 1) }
}
