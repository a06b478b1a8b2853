import Foundation

/// Trains a (pruned) dense stack to imitate a teacher network's outputs on given rows: cross-entropy to
/// the teacher's class probabilities (squared error to its outputs for regression), minibatch Adam,
/// seeded, keeping the epoch whose decisions agree best with the teacher's on a held-out fifth of the rows
/// and stopping after `patience` epochs without improvement.
public struct NetworkDistiller: Sendable {
    public let teacher: Network
    public let rows: Dataset
    public var epochs = 60
    public var patience = 8
    public var batchSize = 64
    public var learningRate = 0.003
    public let seed: UInt64

    public init(teacher: Network, rows: Dataset, seed: UInt64) {
        self.teacher = teacher
        self.rows = rows
        self.seed = seed
    }

    public func train(_ student: Network) -> Network {
        var generator = SeededGenerator(seed: seed)
        let data = student.project(rows)
        let targets = NetworkEvaluator(network: teacher).evaluate(raw: rows.values, rows: rows.rows)
        let order = generator.permutation(rows.rows)
        let validation = Array(order.prefix(rows.rows / 5)), training = Array(order.dropFirst(rows.rows / 5))
        let encoded = student.schema.encode(data.values, rows: data.rows)
        let width = student.schema.encodedWidth
        var layers = student.denseLayers
        var moments = layers.map { ($0.weights.map { _ in 0.0 }, $0.weights.map { _ in 0.0 }, $0.bias.map { _ in 0.0 }, $0.bias.map { _ in 0.0 }) }
        var step = 0.0
        func network(_ layers: [DenseLayer]) -> Network {
            var copy = student
            copy.layers = layers.map { .dense($0) }
            return copy
        }
        func validationAgreement(_ candidate: Network) -> Double {
            let subset = data.subset(validation)
            let output = NetworkEvaluator(network: candidate).evaluate(raw: subset.values, rows: subset.rows)
            if teacher.task == .classification {
                return Agreement.share(output.predictedClasses, validation.map { targets.predictedClass(row: $0) })
            }
            let reference = validation.flatMap { row in (0..<targets.width).map { targets[row, $0] } }
            return Agreement.rSquared(predicted: output.values, reference: reference, outputs: targets.width)
        }
        var best = layers, bestScore = validationAgreement(network(layers)), stale = 0
        for _ in 0..<epochs {
            let shuffled = generator.permutation(training.count).map { training[$0] }
            for start in stride(from: 0, to: shuffled.count, by: batchSize) {
                let batch = shuffled[start..<min(start + batchSize, shuffled.count)]
                var gradW = layers.map { $0.weights.map { _ in 0.0 } }, gradB = layers.map { $0.bias.map { _ in 0.0 } }
                for row in batch {
                    // Forward.
                    var activations = [Array(encoded[(row * width)..<((row + 1) * width)])]
                    var pre: [[Double]] = []
                    for layer in layers {
                        let x = activations.last!
                        var z = layer.bias
                        for unit in 0..<layer.units {
                            for input in 0..<layer.inputs { z[unit] += layer.weights[unit * layer.inputs + input] * x[input] }
                        }
                        pre.append(z)
                        activations.append(NetworkGradient.activate(layer.activation, z))
                    }
                    // d loss / d last pre-activation: probabilities (or outputs) minus the teacher's.
                    let last = layers.count - 1
                    var delta: [Double]
                    if teacher.task == .classification {
                        let probabilities = NetworkGradient(network: network(layers)).finalize(activations.last!, target: 0).0
                        let target = (0..<targets.width).map { targets[row, $0] }
                        if layers[last].units == 1 {
                            delta = [probabilities[1] - target[1]]
                        } else {
                            delta = (0..<probabilities.count).map { probabilities[$0] - target[$0] }
                        }
                    } else {
                        delta = (0..<layers[last].units).map { activations.last![$0] - targets[row, $0] }
                        delta = NetworkGradient.backActivation(layers[last].activation, pre[last], delta)
                    }
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
            let score = validationAgreement(network(layers))
            if score > bestScore {
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
