/// Morris elementary effects: `trajectories` random one-at-a-time paths through a p-level grid of the unit
/// cube (step Δ = p / (2 (p - 1))); per input, mu* (mean |effect|) and sigma (standard deviation).
/// Evaluations: trajectories x (d + 1).
public enum MorrisScreening {
    /// One input's elementary effects: mu* (mean |effect|) and sigma (their standard deviation).
    public struct Effect: Sendable {
        /// Mean |elementary effect| over the trajectories.
        public var muStar: Double
        /// Sample standard deviation of the (signed) elementary effects.
        public var sigma: Double
    }

    /// The effects of each of `d` inputs of `model`, which maps `count` points of the unit cube (row-major,
    /// `d` columns) to one output each.
    ///
    /// - Complexity: `trajectories × (d + 1)` evaluations of `model`.
    public static func screen(dimensions d: Int, trajectories: Int = 20, levels: Int = 4, seed: UInt64 = 1,
                              model: ([Double], Int) -> [Double]) -> [Effect] {
        var generator = SeededGenerator(seed: seed)
        let delta = Double(levels) / (2 * Double(levels - 1))
        let starts = levels / 2  // starting levels that leave room for +Δ
        var effects = [[Double]](repeating: [], count: d)
        for _ in 0..<trajectories {
            var point = (0..<d).map { _ in Double(generator.nextInt(below: starts)) / Double(levels - 1) }
            var path = point
            let order = generator.permutation(d)
            var directions: [Double] = []
            for feature in order {
                let up = point[feature] + delta <= 1 + 1e-12
                point[feature] += up ? delta : -delta
                directions.append(up ? delta : -delta)
                path += point
            }
            let outputs = model(path, d + 1)
            for (step, feature) in order.enumerated() {
                effects[feature].append((outputs[step + 1] - outputs[step]) / directions[step])
            }
        }
        return effects.map { values in
            let mean = values.reduce(0, +) / Double(values.count)
            let muStar = values.reduce(0) { $0 + abs($1) } / Double(values.count)
            let sigma = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count - 1, 1))).squareRoot()
            return Effect(muStar: muStar, sigma: sigma)
        }
    }
}
