/// Panels drawn over a model's image (`ImageShape`) as one SVG: a row's pixels, attribution maps and
/// maximising inputs. Panels wrap into rows of `columns`.
public enum PixelMapSVG {
    /// One panel of the drawing.
    public enum Panel: Sendable {
        /// Raw feature values shown as the image: grey (dark = high) for one or two channels, colour for
        /// three, scaled from `range` (nil: the panel's own smallest and largest value).
        case image(title: String, values: [Double], range: ClosedRange<Double>?)
        /// One value per pixel (channels already summed): blue where positive, red where negative, scaled
        /// to the panel's largest magnitude.
        case signed(title: String, values: [Double])

        var title: String {
            switch self {
            case let .image(title, _, _), let .signed(title, _): return title
            }
        }
    }

    /// Pixel side in SVG units for an image: 24 for 8 x 8, smaller for bigger images, at least 2.
    public static func cellSize(for shape: ImageShape) -> Int { max(2, min(24, 192 / max(shape.width, shape.height))) }

    /// The panels under `title`, `columns` to a row, each `shape.width x shape.height` cells of `cell` units.
    public static func render(title: String, shape: ImageShape, panels: [Panel], columns: Int = 5, cell: Int? = nil) -> String {
        let cell = cell ?? cellSize(for: shape)
        let columns = max(1, min(columns, panels.count))
        let panelWidth = shape.width * cell, panelHeight = shape.height * cell, gap = 20, caption = 18, top = 40
        let rows = (panels.count + columns - 1) / columns
        let width = max(columns * panelWidth + (columns + 1) * gap, 7 * title.count + 2 * gap)
        let height = top + rows * (panelHeight + caption + gap)
        var body = ["<text x=\"\(gap)\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(SVGBarChart.escape(title))</text>"]
        for (index, panel) in panels.enumerated() {
            let left = gap + (index % columns) * (panelWidth + gap)
            let panelTop = top + (index / columns) * (panelHeight + caption + gap) + caption
            body.append("<text x=\"\(left)\" y=\"\(panelTop - 6)\" font-size=\"12\">\(SVGBarChart.escape(panel.title))</text>")
            let colour = colours(panel, shape: shape)
            for y in 0..<shape.height {
                for x in 0..<shape.width {
                    body.append("<rect x=\"\(left + x * cell)\" y=\"\(panelTop + y * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(colour(y * shape.width + x))\"/>")
                }
            }
            body.append("<rect x=\"\(left)\" y=\"\(panelTop)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" fill=\"none\" stroke=\"#999\"/>")
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }

    /// The fill of each pixel of a panel.
    static func colours(_ panel: Panel, shape: ImageShape) -> (Int) -> String {
        switch panel {
        case let .image(_, values, range):
            let seen = shape.inputs.map { values[$0] }
            let low = range?.lowerBound ?? seen.min() ?? 0, high = range?.upperBound ?? seen.max() ?? 1
            func level(_ value: Double) -> Double { high > low ? min(1, max(0, (value - low) / (high - low))) : 0 }
            return { pixel in
                let channels = shape.pixelValues(values, pixel: pixel)
                if channels.count == 3 {
                    let rgb = channels.map { Int((255 * level($0)).rounded()) }
                    return "rgb(\(rgb[0]),\(rgb[1]),\(rgb[2]))"
                }
                let grey = Int((255 * (1 - level(channels.reduce(0, +) / Double(channels.count)))).rounded())
                return "rgb(\(grey),\(grey),\(grey))"
            }
        case let .signed(_, values):
            let scale = values.map(abs).max() ?? 0
            return { pixel in
                let share = scale > 0 ? values[pixel] / scale : 0
                let fade = Int((255 * (1 - abs(share))).rounded())
                return share >= 0 ? "rgb(\(fade),\(fade),255)" : "rgb(255,\(fade),\(fade))"
            }
        }
    }
}
