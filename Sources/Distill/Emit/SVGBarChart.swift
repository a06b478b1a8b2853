/// A small, dependency-free SVG writer for horizontal bar charts: one panel per ranking, bars scaled to
/// the panel's largest value, optional interval whiskers, feature names as labels.
public enum SVGBarChart {
    /// One bar: its label, length, and optional interval whisker.
    public struct Bar: Sendable {
        /// The text beside the bar.
        public var label: String
        /// The bar's length, in the panel's units (a negative value draws no bar).
        public var value: Double
        /// The whisker's lower end; the whisker is drawn only when `low` and `high` are both set.
        public var low: Double?
        /// The whisker's upper end.
        public var high: Double?

        /// Creates a bar; no whisker by default.
        public init(label: String, value: Double, low: Double? = nil, high: Double? = nil) {
            self.label = label
            self.value = value
            self.low = low
            self.high = high
        }
    }

    /// A titled group of bars, drawn to its own scale.
    public struct Panel: Sendable {
        /// The heading above the bars.
        public var title: String
        /// The bars, top to bottom.
        public var bars: [Bar]

        /// Creates a panel.
        public init(title: String, bars: [Bar]) {
            self.title = title
            self.bars = bars
        }
    }

    /// The SVG document.
    public static func render(title: String, panels: [Panel]) -> String {
        let labelWidth = min(320, 7 * (panels.flatMap { $0.bars.map(\.label.count) }.max() ?? 10) + 16)
        let barWidth = 360, rowHeight = 18, width = labelWidth + barWidth + 90
        var y = 36
        var body: [String] = ["<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">\(escape(title))</text>"]
        for panel in panels {
            body.append("<text x=\"12\" y=\"\(y + 14)\" font-size=\"13\" font-weight=\"bold\">\(escape(panel.title))</text>")
            y += 22
            let top = panel.bars.map { max($0.value, $0.high ?? $0.value) }.max() ?? 1
            let scale = top > 0 ? Double(barWidth) / top : 0
            for bar in panel.bars {
                let length = max(0, bar.value) * scale
                body.append("<text x=\"\(labelWidth - 6)\" y=\"\(y + 13)\" font-size=\"11\" text-anchor=\"end\">\(escape(bar.label))</text>")
                body.append("<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(format(length))\" height=\"\(rowHeight - 6)\" fill=\"#4a7fb5\"/>")
                if let low = bar.low, let high = bar.high {
                    let x1 = Double(labelWidth) + max(0, low) * scale, x2 = Double(labelWidth) + max(0, high) * scale
                    body.append("<line x1=\"\(format(x1))\" y1=\"\(y + 9)\" x2=\"\(format(x2))\" y2=\"\(y + 9)\" stroke=\"#222\" stroke-width=\"1.5\"/>")
                }
                body.append("<text x=\"\(labelWidth + Int(length) + 6)\" y=\"\(y + 13)\" font-size=\"10\" fill=\"#444\">\(NumberText.significant(bar.value, digits: 3))</text>")
                y += rowHeight
            }
            y += 10
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(y + 8)\" viewBox=\"0 0 \(width) \(y + 8)\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }

    static func format(_ value: Double) -> String { NumberText.trimmed(value, decimals: 2) }

    /// Text escaped for XML.
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}

extension SensitivityAnalysis {
    /// One bar-chart panel per ranking (Sobol' with interval whiskers).
    public var chartPanels: [SVGBarChart.Panel] {
        rankings.map { ranking in
            SVGBarChart.Panel(title: ranking.method, bars: ranking.scores.map { score in
                let interval = ranking.method.hasPrefix("sobol") ? score.interval : nil
                return SVGBarChart.Bar(label: score.feature, value: score.value, low: interval?.low, high: interval?.high)
            })
        }
    }
}
