import Foundation

/// Trains a (pruned) dense stack to imitate a teacher network's outputs on given rows: cross-entropy to
/// the teacher's class probabilities (squared error to its outputs for regression), minibatch Adam,
/// seeded, keeping the epoch whose decisions agree best with the teacher's on a held-out fifth of the rows
/// (ties: the lower held-out loss) and stopping after `patience` epochs without improvement.
///
/// Training runs on standardised inputs (the first layer's weights scaled by each encoded column's
/// standard deviation, its bias shifted by the means, and folded back at the end), so one learning rate
/// suits features measured in thousands and in thousandths alike.
public struct NetworkDistiller: Sendable {
    /// The network whose outputs the student learns.
    public let teacher: Network
    /// The raw rows trained on, in the teacher's schema (at most `maximumRows`).
    public let rows: Dataset
    /// Most passes over the training rows; 80 by default.
    public var epochs = 80
    /// Epochs without a better held-out score before training stops; 10 by default.
    public var patience = 10
    /// Rows per Adam step; 32 by default.
    public var batchSize = 32
    /// Adam's step size; 0.002 by default.
    public var learningRate = 0.002
    /// Seed of the held-out split and the shuffles.
    public let seed: UInt64
    /// The teacher's outputs on `rows` (probabilities for classification).
    let targets: NetworkOutput

    /// Rows beyond this many are thinned (evenly spaced) before training.
    public static let maximumRows = 10_000

    /// Creates a distiller and evaluates the teacher on the rows once.
    /// - Parameters:
    ///   - teacher: The network to imitate.
    ///   - all: Raw rows in the teacher's schema; above `maximumRows` every k-th row is kept.
    ///   - seed: Seed of the split and the shuffles.
    public init(teacher: Network, rows all: Dataset, seed: UInt64) {
        self.teacher = teacher
        rows = all.rows > Self.maximumRows
            ? all.subset(Array(stride(from: 0, to: all.rows, by: (all.rows + Self.maximumRows - 1) / Self.maximumRows)))
            : all
        self.seed = seed
        targets = NetworkEvaluator(network: teacher).evaluate(raw: rows.values, rows: rows.rows)
    }

    /// Per-row loss and the gradient with respect to the last layer's pre-activation.
    private func lossAndDelta(_ student: Network, last: DenseLayer, output: [Double], pre: [Double], row: Int) -> (Double, [Double]) {
        if teacher.task == .classification {
            let probabilities = NetworkGradient(network: student).finalize(output, target: 0).0
            var loss = 0.0
            for k in 0..<targets.width where targets[row, k] > 0 { loss -= targets[row, k] * log(max(probabilities[k], 1e-300)) }
            if last.units == 1 { return (loss, [probabilities[1] - targets[row, 1]]) }
            return (loss, (0..<probabilities.count).map { probabilities[$0] - targets[row, $0] })
        }
        let residual = (0..<last.units).map { output[$0] - targets[row, $0] }
        let loss = residual.reduce(0) { $0 + $1 * $1 } / 2
        return (loss, NetworkGradient.backActivation(last.activation, pre, residual))
    }

    /// Trains `student`, starting from its current weights, to imitate the teacher.
    /// - Parameter student: A folded network (dense layers only, no preprocessing; see `FoldNormalization`)
    ///   over the teacher's inputs or a subset of them.
    /// - Returns: A copy of `student` whose layers are the trained dense layers of the best epoch (or the starting
    ///   weights when no epoch beats them), in raw units.
    /// - Complexity: O(epochs × rows × weights).
    public func train(_ student: Network) -> Network {
        var generator = SeededGenerator(seed: seed)
        let data = student.project(rows)
        let order = generator.permutation(rows.rows)
        let validation = Array(order.prefix(rows.rows / 5)), training = Array(order.dropFirst(rows.rows / 5))
        let width = student.schema.encodedWidth
        var encoded = student.schema.encode(data.values, rows: data.rows)
        // Standardise the encoded columns (statistics of the training rows).
        var mean = [Double](repeating: 0, count: width), scale = [Double](repeating: 1, count: width)
        for row in training { for j in 0..<width { mean[j] += encoded[row * width + j] } }
        for j in 0..<width { mean[j] /= Double(max(training.count, 1)) }
        var spread = [Double](repeating: 0, count: width)
        for row in training { for j in 0..<width { let e = encoded[row * width + j] - mean[j]; spread[j] += e * e } }
        for j in 0..<width {
            let sd = (spread[j] / Double(max(training.count, 1))).squareRoot()
            scale[j] = sd > 1e-12 ? sd : 1
        }
        for row in 0..<rows.rows { for j in 0..<width { encoded[row * width + j] = (encoded[row * width + j] - mean[j]) / scale[j] } }
        var layers = student.denseLayers
        for u in 0..<layers[0].units {
            for j in 0..<width {
                layers[0].bias[u] += layers[0].weights[u * width + j] * mean[j]
                layers[0].weights[u * width + j] *= scale[j]
            }
        }
        /// The network in raw units: the first layer's standardisation folded back.
        func network(_ trained: [DenseLayer]) -> Network {
            var first = trained[0]
            for u in 0..<first.units {
                for j in 0..<width {
                    first.weights[u * width + j] /= scale[j]
                    first.bias[u] -= first.weights[u * width + j] * mean[j]
                }
            }
            var copy = student
            copy.layers = ([first] + trained.dropFirst()).map { .dense($0) }
            return copy
        }
        /// Forward pass of one standardised row: pre-activations and activations per layer.
        func forward(_ layers: [DenseLayer], row: Int) -> (pre: [[Double]], activations: [[Double]]) {
            var activations = [Array(encoded[(row * width)..<((row + 1) * width)])]
            var pre: [[Double]] = []
            for layer in layers {
                let x = activations[activations.count - 1]
                var z = layer.bias
                for unit in 0..<layer.units {
                    var sum = z[unit]
                    for input in 0..<layer.inputs { sum += layer.weights[unit * layer.inputs + input] * x[input] }
                    z[unit] = sum
                }
                pre.append(z)
                activations.append(NetworkGradient.activate(layer.activation, z))
            }
            return (pre, activations)
        }
        /// Agreement with the teacher's decisions on the validation rows (R² for regression), and the loss.
        func validationScore(_ layers: [DenseLayer]) -> (Double, Double) {
            var loss = 0.0, agreeing = 0
            var outputs: [Double] = []
            for row in validation {
                let (pre, activations) = forward(layers, row: row)
                loss += lossAndDelta(student, last: layers[layers.count - 1], output: activations[activations.count - 1],
                                     pre: pre[pre.count - 1], row: row).0
                if teacher.task == .classification {
                    let probabilities = NetworkGradient(network: student).finalize(activations[activations.count - 1], target: 0).0
                    let predicted = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
                    if predicted == targets.predictedClass(row: row) { agreeing += 1 }
                } else {
                    outputs += activations[activations.count - 1]
                }
            }
            if teacher.task == .classification { return (Double(agreeing) / Double(max(validation.count, 1)), loss) }
            let reference = validation.flatMap { row in (0..<targets.width).map { targets[row, $0] } }
            return (Agreement.rSquared(predicted: outputs, reference: reference, outputs: targets.width), loss)
        }
        func better(_ a: (Double, Double), than b: (Double, Double)) -> Bool { a.0 > b.0 || (a.0 == b.0 && a.1 < b.1) }

        var moments = layers.map { ($0.weights.map { _ in 0.0 }, $0.weights.map { _ in 0.0 }, $0.bias.map { _ in 0.0 }, $0.bias.map { _ in 0.0 }) }
        var step = 0.0
        var best = layers, bestScore = validationScore(layers), stale = 0
        let stage = Progress.stage("fine-tuning the pruned network", total: epochs, unit: "epochs")
        defer { stage?.finish() }
        for _ in 0..<epochs {
            stage?.advance()
            let shuffled = generator.permutation(training.count).map { training[$0] }
            for start in stride(from: 0, to: shuffled.count, by: batchSize) {
                let batch = shuffled[start..<min(start + batchSize, shuffled.count)]
                var gradW = layers.map { $0.weights.map { _ in 0.0 } }, gradB = layers.map { $0.bias.map { _ in 0.0 } }
                for row in batch {
                    let (pre, activations) = forward(layers, row: row)
                    let last = layers.count - 1
                    var delta = lossAndDelta(student, last: layers[last], output: activations[last + 1], pre: pre[last], row: row).1
                    for index in stride(from: last, through: 0, by: -1) {
                        let layer = layers[index], x = activations[index]
                        for unit in 0..<layer.units where delta[unit] != 0 {
                            gradB[index][unit] += delta[unit]
                            for input in 0..<layer.inputs { gradW[index][unit * layer.inputs + input] += delta[unit] * x[input] }
                        }
                        guard index > 0 else { break }
                        var back = [Double](repeating: 0, count: layer.inputs)
                        for unit in 0..<layer.units where delta[unit] != 0 {
                            for input in 0..<layer.inputs { back[input] += layer.weights[unit * layer.inputs + input] * delta[unit] }
                        }
                        delta = NetworkGradient.backActivation(layers[index - 1].activation, pre[index - 1], back)
                    }
                }
                // Adam.
                step += 1
                let scale = 1 / Double(batch.count)
                let correction1 = 1 - pow(0.9, step), correction2 = 1 - pow(0.999, step)
                for index in layers.indices {
                    for j in layers[index].weights.indices {
                        let g = gradW[index][j] * scale
                        moments[index].0[j] = 0.9 * moments[index].0[j] + 0.1 * g
                        moments[index].1[j] = 0.999 * moments[index].1[j] + 0.001 * g * g
                        layers[index].weights[j] -= learningRate * (moments[index].0[j] / correction1) / ((moments[index].1[j] / correction2).squareRoot() + 1e-8)
                    }
                    for j in layers[index].bias.indices {
                        let g = gradB[index][j] * scale
                        moments[index].2[j] = 0.9 * moments[index].2[j] + 0.1 * g
                        moments[index].3[j] = 0.999 * moments[index].3[j] + 0.001 * g * g
                        layers[index].bias[j] -= learningRate * (moments[index].2[j] / correction1) / ((moments[index].3[j] / correction2).squareRoot() + 1e-8)
                    }
                }
            }
            let score = validationScore(layers)
            if better(score, than: bestScore) {
                bestScore = score
                best = layers
                stale = 0
            } else {
                stale += 1
                if stale >= patience { break }
            }
        }
        return network(best)
    }
}
