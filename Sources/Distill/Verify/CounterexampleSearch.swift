/// Projected gradient search, inside a box, for a point where the network does not decide a class: from
/// each start, steps against the gradient of the margin p(class) − max p(other), each a quarter of the
/// box's width along every continuous feature (shrinking by a fifth per step), projected back into the
/// box; categorical and binary features keep the start's values.
struct CounterexampleSearch {
    let network: Network
    var steps = 30

    /// The first point found (raw) with the network's outputs there, or nil.
    func search(in box: RawBox, classIndex: Int, starts: [[Double]]) -> RuleCertifier.Counterexample? {
        let schema = network.schema
        guard network.task == .classification, !starts.isEmpty else { return nil }
        var points = starts
        let gradient = NetworkGradient(network: network)
        var size = 0.25
        for _ in 0..<steps {
            let rows = points.count
            let encoded = schema.encode(points.flatMap { $0 }, rows: rows)
            let own = gradient.gradients(encoded: encoded, rows: rows, targets: .fixed(classIndex))
            let outputs = own.outputs, width = outputs.count / max(rows, 1)
            for row in 0..<rows {
                let probabilities = Array(outputs[(row * width)..<((row + 1) * width)])
                if Agreement.argmax(probabilities) != classIndex {
                    return RuleCertifier.Counterexample(inputs: points[row], outputs: probabilities)
                }
            }
            // The strongest other class of each point, and the margin's gradient.
            let rivals = (0..<rows).map { row -> Int in
                let probabilities = Array(outputs[(row * width)..<((row + 1) * width)])
                return probabilities.indices.filter { $0 != classIndex }.max { probabilities[$0] < probabilities[$1] } ?? classIndex
            }
            let rival = gradient.gradients(encoded: encoded, rows: rows, targets: .each(rivals)).gradients
            let encodedWidth = schema.encodedWidth
            for row in 0..<rows {
                // Down the margin's gradient: up the rival's minus the own class's.
                let descent = ((row * encodedWidth)..<((row + 1) * encodedWidth)).map { rival[$0] - own.gradients[$0] }
                box.step(&points[row], slope: descent[...], schema: schema, size: size)
            }
            size *= 0.8
        }
        return nil
    }
}
