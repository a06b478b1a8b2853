/// The frame of distill's self-contained HTML pages (inline CSS, no network access): the head with the
/// shared style, the title, and `body`.
enum HTMLPage {
    static let style = """
    body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
    table { border-collapse: collapse; font-size: 13px; }
    th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
    tr.pareto td { font-weight: bold; }
    pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 12px; }
    .certified { fill: #2e7d32; } .refuted { fill: #c62828; } .undecided { fill: #bdbdbd; }
    """

    /// A page titled `title` (escaped here) around `body` (HTML).
    static func document(title: String, body: String) -> String {
        let title = SVGBarChart.escape(title)
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>
        \(style)
        </style></head><body>
        <h1>\(title)</h1>

        """ + body + "</body></html>\n"
    }
}
