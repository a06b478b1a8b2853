/// Positions in (0, 1) along straight paths from a baseline to encoded rows where a ReLU or leaky ReLU
/// changes sides. The network is followed with its tangent (forward mode): inside a stretch where no unit
/// switches, everything before the activations is linear in the position, so the next switch is found
/// exactly, and the walk steps there. Rows walk in lockstep blocks, each step one pass of values and
/// tangents through the dense kernel for every row still walking.
enum ReLUSwitches {
    /// Most switches followed per path.
    static let limit = 10_000

    /// The switch positions of each row's path from `baseline` (`rows x encodedWidth` rows).
    static func along(_ network: Network, from baseline: [Double], to encoded: [Double], rows: Int,
                      kernel: DenseKernel = .fast, threads: Int = Parallelism.threads) -> [[Double]] {
        let width = network.schema.encodedWidth
        var result = [[Double]](repeating: [], count: rows)
        let blockRows = 64
        result.withUnsafeMutableBufferPointer { result in
            let output = UncheckedBox(result)
            Parallelism.forEach(pieces: (rows + blockRows - 1) / blockRows, threads: threads) { block, _ in
                let members = Array((block * blockRows)..<min(rows, (block + 1) * blockRows))
                let ends = members.flatMap { row in encoded[(row * width)..<((row + 1) * width)] }
                for (offset, switches) in walk(network, from: baseline, to: ends, rows: members.count, kernel: kernel).enumerated() {
                    output.value[members[offset]] = switches
                }
            }
        }
        return result
    }

    /// One block's walks.
    private static func walk(_ network: Network, from start: [Double], to ends: [Double], rows: Int, kernel: DenseKernel) -> [[Double]] {
        let width = network.schema.encodedWidth
        var result = [[Double]](repeating: [], count: rows)
        var position = [Double](repeating: 0, count: rows)
        var walking = Array(0..<rows)
        for _ in 0..<limit {
            guard !walking.isEmpty else { break }
            let count = walking.count
            var value = [Double](repeating: 0, count: count * width), tangent = value
            for (slot, row) in walking.enumerated() {
                for j in 0..<width {
                    let direction = ends[row * width + j] - start[j]
                    value[slot * width + j] = start[j] + position[row] * direction
                    tangent[slot * width + j] = direction
                }
            }
            var next = [Double](repeating: .infinity, count: count)
            step(network, kernel: kernel, value: &value, tangent: &tangent, rows: count, next: &next)
            // `next` is in units of the tangent, which spans the whole path: a step in position.
            var still: [Int] = []
            for (slot, row) in walking.enumerated() {
                guard next[slot].isFinite, position[row] + next[slot] < 1 else { continue }
                position[row] += max(next[slot], 1e-12)
                result[row].append(position[row])
                position[row] += 1e-12
                still.append(row)
            }
            walking = still
        }
        return result
    }

    /// Values and tangents through every layer; `next` gets each row's nearest switch ahead.
    private static func step(_ network: Network, kernel: DenseKernel, value: inout [Double], tangent: inout [Double],
                             rows: Int, next: inout [Double]) {
        var width = network.schema.encodedWidth
        for case let .standardize(mean, std) in network.preprocessing {
            for row in 0..<rows {
                for j in 0..<width {
                    value[row * width + j] = (value[row * width + j] - mean[j]) / std[j]
                    tangent[row * width + j] /= std[j]
                }
            }
        }
        func activate(_ activation: Activation) {
            switch activation {
            case .relu, .leakyReLU:
                let negativeSlope = activation.derivative(-1)
                value.withUnsafeMutableBufferPointer { value in
                    tangent.withUnsafeMutableBufferPointer { tangent in
                        for row in 0..<rows {
                            var nearest = next[row]
                            for index in (row * width)..<((row + 1) * width) {
                                let v = value[index], t = tangent[index]
                                // Moving away from zero, or parked on it: no switch ahead from this unit.
                                if v * t < 0 { nearest = min(nearest, -v / t) }
                                let slope = v > 0 || (v == 0 && t > 0) ? 1.0 : negativeSlope
                                value[index] = v > 0 ? v : negativeSlope == 0 ? 0 : negativeSlope * v
                                tangent[index] = t * slope
                            }
                            next[row] = nearest
                        }
                    }
                }
            case .identity:
                break
            case .softmax:
                // A smooth activation: its tangent by the chain rule (switches are only sought in ReLUs).
                Activation.softmax.apply(to: &value, rows: rows, width: width)
                for row in 0..<rows {
                    var dot = 0.0
                    for j in 0..<width { dot += value[row * width + j] * tangent[row * width + j] }
                    for j in 0..<width { tangent[row * width + j] = value[row * width + j] * (tangent[row * width + j] - dot) }
                }
            default:
                for index in value.indices {
                    tangent[index] *= activation.derivative(value[index])
                    value[index] = activation.scalar(value[index])
                }
            }
        }
        for layer in network.layers {
            switch layer {
            case let .dense(dense):
                var z = [Double](repeating: 0, count: rows * dense.units), dz = z
                value.withUnsafeBufferPointer { v in
                    z.withUnsafeMutableBufferPointer { kernel.forward(dense, input: v.baseAddress!, rows: rows, output: $0.baseAddress!, addBias: true) }
                }
                tangent.withUnsafeBufferPointer { t in
                    dz.withUnsafeMutableBufferPointer { kernel.forward(dense, input: t.baseAddress!, rows: rows, output: $0.baseAddress!, addBias: false) }
                }
                value = z
                tangent = dz
                width = dense.units
                activate(dense.activation)
            case let .activation(activation):
                activate(activation)
            case let .batchNorm(norm):
                for row in 0..<rows {
                    for j in 0..<width {
                        let scale = norm.gamma[j] / (norm.variance[j] + norm.epsilon).squareRoot()
                        value[row * width + j] = (value[row * width + j] - norm.mean[j]) * scale + norm.beta[j]
                        tangent[row * width + j] *= scale
                    }
                }
            case .dropout:
                continue
            }
        }
    }
}
