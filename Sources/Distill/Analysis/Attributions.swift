import Foundation

/// Gradient-based attributions per row and their summaries per raw feature: saliency (mean |gradient|),
/// gradient x input, and integrated gradients (Gauss–Legendre or Riemann quadrature along the straight path
/// from a baseline) with its completeness gap, as Captum reports its convergence delta.
public struct Attributions: Sendable {
    /// The network attributed.
    public let network: Network

    /// Creates attributions for `network`.
    public init(network: Network) {
        self.network = network
    }

    /// Sums encoded-column values into their raw features (one-hot columns into their categorical feature).
    public func perFeature(_ encoded: [Double]) -> [Double] {
        let schema = network.schema
        return schema.features.indices.map { feature in
            let start = schema.offsets[feature]
            return encoded[start..<(start + schema.features[feature].encodedWidth)].reduce(0, +)
        }
    }

    /// Per raw feature, the mean over the rows of |gradient x (input - mean input)|, the encoded columns'
    /// products summed into their feature first: how much each input moves an output across the rows.
    /// `gradients` and `encoded` are `rows x` encoded width.
    public func meanAbsoluteGradientTimesSpread(gradients: [Double], encoded: [Double], rows: Int) -> [Double] {
        let width = network.schema.encodedWidth
        let mean = (0..<width).map { j in (0..<rows).reduce(0.0) { $0 + encoded[$1 * width + j] } / Double(max(rows, 1)) }
        var scores = [Double](repeating: 0, count: network.schema.count)
        for row in 0..<rows {
            let product = (0..<width).map { gradients[row * width + $0] * (encoded[row * width + $0] - mean[$0]) }
            for (feature, value) in perFeature(product).enumerated() { scores[feature] += abs(value) / Double(rows) }
        }
        return scores
    }

    /// Mean |gradient| and mean |gradient x input| per raw feature over the rows, for output `target`
    /// (the row's predicted class when nil).
    public func gradientSummaries(_ data: Dataset, target: Int?) -> GradientSummary {
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        let gradients = NetworkGradient(network: network).gradients(encoded: encoded, rows: data.rows,
                                                                    targets: target.map { .fixed($0) } ?? .predicted).gradients
        var saliency = [Double](repeating: 0, count: network.schema.count), product = saliency
        let schema = network.schema
        var perRowSaliency = [Double](repeating: 0, count: data.rows * schema.count), perRowProduct = perRowSaliency
        for row in 0..<data.rows {
            for feature in 0..<schema.count {
                var absolute = 0.0, times = 0.0
                for column in schema.offsets[feature]..<(schema.offsets[feature] + schema.features[feature].encodedWidth) {
                    let g = gradients[row * width + column]
                    absolute += abs(g)
                    times += abs(g * encoded[row * width + column])
                }
                saliency[feature] += absolute / Double(data.rows)
                product[feature] += times / Double(data.rows)
                perRowSaliency[row * schema.count + feature] = absolute
                perRowProduct[row * schema.count + feature] = times
            }
        }
        return GradientSummary(saliency: saliency, gradientTimesInput: product,
                               saliencyIntervals: MeanIntervals.of(perRowSaliency, rows: data.rows, means: saliency),
                               gradientTimesInputIntervals: MeanIntervals.of(perRowProduct, rows: data.rows, means: product))
    }

    /// Per raw feature, over some rows: the mean |gradient| and the mean |gradient × input| (one-hot
    /// columns summed within their feature).
    public struct GradientSummary: Sendable {
        /// Mean |gradient| per raw feature.
        public var saliency: [Double]
        /// Mean |gradient × input| per raw feature.
        public var gradientTimesInput: [Double]
        /// 95% intervals of the means (`MeanIntervals`).
        public var saliencyIntervals: [Interval]
        /// 95% intervals of the `gradientTimesInput` means.
        public var gradientTimesInputIntervals: [Interval]
    }

    /// Gauss–Legendre nodes and weights on [0, 1] (Newton iteration on the Legendre polynomial).
    static func gaussLegendre(_ count: Int) -> [(node: Double, weight: Double)] {
        (0..<count).map { i in
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(count) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                var p0 = 1.0, p1 = x
                for k in 2...max(count, 2) {
                    let p2 = ((2 * Double(k) - 1) * x * p1 - (Double(k) - 1) * p0) / Double(k)
                    p0 = p1
                    p1 = p2
                }
                if count == 1 { p1 = x; p0 = 1 }
                derivative = Double(count) * (x * p1 - p0) / (x * x - 1)
                let step = p1 / derivative
                x -= step
                if abs(step) < 1e-15 { break }
            }
            let weight = 2 / ((1 - x * x) * derivative * derivative)
            return ((1 - x) / 2, weight / 2)
        }
    }

    /// Integrated-gradients attributions per raw feature, and the largest completeness gap of a row
    /// (|sum of attributions - (f(x) - f(baseline))|).
    public struct Integrated: Sendable {
        /// Attributions per row and raw feature, row-major (`rows x features`).
        public var attributions: [Double]
        /// The largest completeness gap over the rows, relative to |f(x) - f(baseline)| (absolute where that
        /// difference is below 1e-12).
        public var gap: Double
    }

    /// Integrated-gradients attributions per raw feature for every row (row-major), for output `target`
    /// (the row's predicted class when nil), from `baseline` (an encoded row), with `steps` quadrature
    /// points of `rule`; also the largest completeness gap |sum of attributions - (f(x) - f(baseline))|
    /// relative to |f(x) - f(baseline)| (absolute where that difference is below 1e-12).
    public func integratedGradients(_ data: Dataset, baseline: [Double], target: Int?, steps: Int = 64,
                                    rule: IntegrationRule = .gaussLegendre) -> Integrated {
        integratedGradients(data, baseline: baseline, target: target, steps: steps, rule: rule, byPanels: true)
    }

    /// `byPanels`: on networks piecewise linear below their last dense layer, Gauss–Legendre integrates
    /// each panel's output slope and carries it back once (`PanelIntegral`); false evaluates the gradient at
    /// every Gauss–Legendre point (the same integral, the way tests check it).
    func integratedGradients(_ data: Dataset, baseline: [Double], target: Int?, steps: Int,
                             rule: IntegrationRule, byPanels: Bool) -> Integrated {
        let encoded = network.schema.encode(data.values, rows: data.rows)
        let width = network.schema.encodedWidth
        let rows = data.rows
        let evaluator = NetworkEvaluator(network: network)
        let atX = evaluator.finalize(evaluator.forward(encoded: encoded, rows: rows), rows: rows)
        let atBaseline = evaluator.finalize(evaluator.forward(encoded: baseline, rows: 1), rows: 1)
        let outputs = atBaseline.count
        let chosen = (0..<rows).map { row in target ?? Agreement.argmax(Array(atX[(row * outputs)..<((row + 1) * outputs)])) }
        // Each row's quadrature: Gauss-Legendre panels also end where a ReLU on its path switches.
        let switches = rule == .gaussLegendre ? ReLUSwitches.along(network, from: baseline, to: encoded, rows: rows)
            : [[Double]](repeating: [], count: rows)
        let integral: [Double]
        if rule == .gaussLegendre, byPanels, let panels = PanelIntegral(network: network) {
            integral = panels.integrals(encoded: encoded, baseline: baseline, rows: rows, targets: chosen,
                                        edges: switches.map { IntegrationRule.panelEdges(steps: steps, kinks: $0) })
        } else {
            integral = pointIntegrals(encoded: encoded, baseline: baseline, rows: rows, targets: chosen,
                                      quadratures: switches.map(rule.quadrature(steps: steps)))
        }
        var result: [Double] = []
        result.reserveCapacity(rows * network.schema.count)
        var worstGap = 0.0
        for row in 0..<rows {
            let attributions = (0..<width).map { (encoded[row * width + $0] - baseline[$0]) * integral[row * width + $0] }
            let change = atX[row * outputs + chosen[row]] - atBaseline[chosen[row]]
            let gap = abs(attributions.reduce(0, +) - change)
            worstGap = max(worstGap, abs(change) > 1e-12 ? gap / abs(change) : gap)
            result += perFeature(attributions)
        }
        return Integrated(attributions: result, gap: worstGap)
    }

    /// Each row's quadrature of the gradient of output `targets[row]` along its path, the gradient taken at
    /// every point: the points of as many rows as make about 65,536, their gradients in one batch.
    private func pointIntegrals(encoded: [Double], baseline: [Double], rows: Int, targets chosen: [Int],
                                quadratures: [[(node: Double, weight: Double)]]) -> [Double] {
        let width = network.schema.encodedWidth
        var integral = [Double](repeating: 0, count: rows * width)
        let gradient = NetworkGradient(network: network)
        var first = 0
        while first < rows {
            var last = first, count = 0
            while last < rows, count == 0 || count + quadratures[last].count <= 65_536 {
                count += quadratures[last].count
                last += 1
            }
            var points = [Double](), targets = [Int]()
            points.reserveCapacity(count * width)
            targets.reserveCapacity(count)
            for row in first..<last {
                for (node, _) in quadratures[row] {
                    for j in 0..<width { points.append(baseline[j] + node * (encoded[row * width + j] - baseline[j])) }
                    targets.append(chosen[row])
                }
            }
            let g = gradient.gradients(encoded: points, rows: count, targets: .each(targets)).gradients
            var point = 0
            for row in first..<last {
                for (_, weight) in quadratures[row] {
                    for j in 0..<width { integral[row * width + j] += weight * g[point * width + j] }
                    point += 1
                }
            }
            first = last
        }
        return integral
    }
}
