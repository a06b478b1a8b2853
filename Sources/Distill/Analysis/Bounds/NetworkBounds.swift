import Foundation

/// Sound bounds on linear functions of a network's outputs over a box of encoded inputs. Every
/// activation's input is bounded first by interval arithmetic (IBP), then, where that is not exact (an
/// activation or a second affine step comes before), also by back-substitution (the tighter of the two is
/// kept) for the units whose relaxation the bound can loosen: for ReLU and leaky ReLU only the unstable
/// units, whose interval straddles 0 (a stable unit is relaxed exactly whatever its bounds), for other
/// activations every unit, at most `linearWidthLimit` of them per layer, the loosest first. The objective
/// is then bounded by back-substitution through the whole chain (CROWN / Fast-Lin, Zhang et al. 2018, with
/// the parallel chord relaxation of `ActivationRelaxation`). Sums carry a margin for rounding, so a
/// positive lower bound is a proof in real arithmetic, not only in floating point.
struct NetworkBounds {
    let chain: BoundChain
    /// At most this many units of a layer get back-substituted bounds (each costs a pass back through
    /// every earlier layer); the rest keep their interval bounds. 0: interval bounds only.
    var linearWidthLimit = 256

    /// Per activation step: its input's bounds (nil for other steps).
    private(set) var activationInputs: [(lower: [Double], upper: [Double])?] = []
    /// Per activation step: the relaxation of each unit.
    private var relaxations: [[ActivationRelaxation]?] = []
    private let inputLower: [Double], inputUpper: [Double]
    /// The chain's output by interval arithmetic.
    private var outputLower: [Double] = [], outputUpper: [Double] = []

    /// Bounds the chain over the box `lower ... upper` (encoded, finite).
    init(chain: BoundChain, lower: [Double], upper: [Double], linearWidthLimit: Int = 256) {
        self.chain = chain
        self.linearWidthLimit = linearWidthLimit
        inputLower = lower
        inputUpper = upper
        var low = lower, high = upper
        for (index, step) in chain.steps.enumerated() {
            switch step {
            case .activation(let activation):
                if let start = refinableStart(before: index) {
                    let units = Self.unitsToRefine(activation, low, high, limit: linearWidthLimit)
                    if !units.isEmpty {
                        // Those units by back-substitution, where tighter: their weight rows (and the rows'
                        // negations, a per-unit scale and shift folded in) are the coefficients on the affine
                        // step's input.
                        let rows = Self.selectedRows(units, weights: start.weights, absolute: chain.absoluteWeights[start.index]!,
                                                     bias: start.bias, width: start.inputs, scale: start.scale, shift: start.shift)
                        let linear = substitute(lambda: rows.lambda, absolute: rows.absolute, constant: rows.constant,
                                                magnitude: rows.magnitude, rows: units.count, width: start.inputs, through: start.index)
                        for (row, unit) in units.enumerated() {
                            low[unit] = max(low[unit], linear.lower[row])
                            high[unit] = min(high[unit], linear.upper[row])
                        }
                    }
                }
                activationInputs.append((low, high))
                if activation == .softmax {
                    relaxations.append(nil)
                    (low, high) = Self.softmax(low, high)
                } else {
                    let units = zip(low, high).map { ActivationRelaxation(activation, l: $0, u: $1) }
                    relaxations.append(units)
                    let ranges = zip(low, high).map { ActivationRelaxation.range(activation, l: $0, u: $1) }
                    (low, high) = (ranges.map(\.lower), ranges.map(\.upper))
                }
            default:
                activationInputs.append(nil)
                relaxations.append(nil)
                (low, high) = Self.interval(step, low, high)
            }
        }
        (outputLower, outputUpper) = (low, high)
    }

    /// Lower and upper bounds of each row of `objective · output + offset` (`rows x outputWidth`): the
    /// tighter of back-substitution and interval arithmetic on the outputs.
    func bound(objective: [Double], offset: [Double], rows: Int) -> (lower: [Double], upper: [Double]) {
        let (lower, upper, _) = boundAndShares(objective: objective, offset: offset, rows: rows)
        return (lower, upper)
    }

    /// `bound`, and per encoded input how much of the gap under the lowest row's back-substituted lower
    /// bound it accounts for: |coefficient| x its interval's width (where to split a box).
    func boundAndShares(objective: [Double], offset: [Double], rows: Int) -> (lower: [Double], upper: [Double], shares: [Double]) {
        let back = backSubstitute(objective: objective, offset: offset, rows: rows, through: chain.steps.count)
        var lower = back.lower, upper = back.upper
        let lambda = back.lambda
        let inputs = inputLower.count
        let worst = lower.indices.min { lower[$0] < lower[$1] }
        let shares = worst.map { worst in (0..<inputs).map { abs(lambda[worst * inputs + $0]) * (inputUpper[$0] - inputLower[$0]) } } ?? []
        let width = outputLower.count
        for row in 0..<rows {
            var low = offset[row], high = offset[row], size = abs(offset[row])
            for column in 0..<width {
                let c = objective[row * width + column]
                low += c > 0 ? c * outputLower[column] : c * outputUpper[column]
                high += c > 0 ? c * outputUpper[column] : c * outputLower[column]
                size += abs(c) * max(abs(outputLower[column]), abs(outputUpper[column]))
            }
            lower[row] = max(lower[row], low - 1e-12 * size - 1e-300)
            upper[row] = min(upper[row], high + 1e-12 * size + 1e-300)
        }
        return (lower, upper, shares)
    }

    /// Bounds of `objective · y + offset`, y the output of the first `count` steps, by back-substitution:
    /// each row and its negation go back through the steps as one coefficient matrix (returned too, the
    /// rows' coefficients on the encoded inputs, lower-bound rows first).
    private func backSubstitute(objective: [Double], offset: [Double], rows: Int,
                                through count: Int) -> (lower: [Double], upper: [Double], lambda: [Double]) {
        // Rows 0..<rows bound the objective from below, rows..<2 rows its negation.
        let absolute = objective.map(abs)
        return substitute(lambda: objective + objective.map { -$0 }, absolute: absolute + absolute, constant: offset + offset.map { -$0 },
                          magnitude: offset.map(abs) + offset.map(abs), rows: rows, width: objective.count / max(rows, 1), through: count)
    }

    /// Back-substitution of `2 rows` linear functions of the output of the first `count` steps: their
    /// coefficients (`lambda`, `2 rows x width`), constants, lower-bound rows first; and for the rounding
    /// margin, the coefficients as they would be with every weight, slope and coefficient taken in absolute
    /// value (`absolute`), and the constants so (`magnitude`). Each computed coefficient and constant is
    /// off by at most a few thousand roundings of those (the terms of its sums, cancelling or not), so a
    /// margin of 1e-11 of the magnitude that reaches the inputs covers every rounding on the way.
    private func substitute(lambda: [Double], absolute: [Double], constant: [Double], magnitude: [Double], rows: Int, width: Int,
                            through count: Int) -> (lower: [Double], upper: [Double], lambda: [Double]) {
        var (lambda, absolute, constant, magnitude, width) = (lambda, absolute, constant, magnitude, width)
        let all = 2 * rows
        for index in stride(from: count - 1, through: 0, by: -1) {
            switch chain.steps[index] {
            case let .affine(outputs, inputs, weights, bias):
                let absoluteWeights = chain.absoluteWeights[index]!
                for row in 0..<all {
                    for unit in 0..<outputs {
                        constant[row] += lambda[row * outputs + unit] * bias[unit]
                        magnitude[row] += absolute[row * outputs + unit] * abs(bias[unit])
                    }
                }
                lambda = Self.product(lambda, weights, rows: all, depth: outputs, columns: inputs)
                absolute = Self.product(absolute, absoluteWeights, rows: all, depth: outputs, columns: inputs)
                width = inputs
            case let .diagonal(scale, shift):
                for row in 0..<all {
                    for column in 0..<width {
                        let at = row * width + column
                        constant[row] += lambda[at] * shift[column]
                        magnitude[row] += absolute[at] * abs(shift[column])
                        lambda[at] *= scale[column]
                        absolute[at] *= abs(scale[column])
                    }
                }
            case .activation:
                // Per unit, a coefficient's lines: the lower line where it is positive (a lower bound),
                // the upper where negative; softmax (no relaxation) bounds by its outputs' interval.
                let input = activationInputs[index]!
                var lowLine = [Double](repeating: 0, count: width), lowSlope = lowLine, highLine = lowLine, highSlope = lowLine
                var offsetSize = lowLine, slopeSize = lowLine
                if let units = relaxations[index] {
                    for (column, relaxation) in units.enumerated() {
                        (lowLine[column], lowSlope[column]) = (relaxation.lower, relaxation.lowerSlope)
                        (highLine[column], highSlope[column]) = (relaxation.upper, relaxation.slope)
                        offsetSize[column] = max(abs(relaxation.lower), abs(relaxation.upper))
                        slopeSize[column] = max(abs(relaxation.lowerSlope), abs(relaxation.slope))
                    }
                } else {
                    (lowLine, highLine) = Self.softmax(input.lower, input.upper)
                    offsetSize = zip(lowLine, highLine).map { max(abs($0), abs($1)) }
                }
                lambda.withUnsafeMutableBufferPointer { lambda in
                    absolute.withUnsafeMutableBufferPointer { absolute in
                        for row in 0..<all {
                            var sum = 0.0, size = 0.0
                            for column in 0..<width {
                                let at = row * width + column, coefficient = lambda[at]
                                let positive = coefficient > 0
                                sum += coefficient * (positive ? lowLine[column] : highLine[column])
                                size += absolute[at] * offsetSize[column]
                                lambda[at] = coefficient * (positive ? lowSlope[column] : highSlope[column])
                                absolute[at] *= slopeSize[column]
                            }
                            constant[row] += sum
                            magnitude[row] += size
                        }
                    }
                }
            }
        }
        var lower = [Double](repeating: 0, count: rows), upper = lower
        for row in 0..<all {
            var value = constant[row], size = magnitude[row]
            for column in 0..<width {
                let coefficient = lambda[row * width + column]
                value += coefficient * (coefficient > 0 ? inputLower[column] : inputUpper[column])
                size += absolute[row * width + column] * max(abs(inputLower[column]), abs(inputUpper[column]))
            }
            value -= 1e-11 * size + 1e-300
            if row < rows { lower[row] = value } else { upper[row - rows] = -value }
        }
        return (lower, upper, lambda)
    }

    /// Where back-substitution for the activation at `index` starts: the affine step that computes its input,
    /// and the per-unit scale and shift after it (a batch norm), if any; nil when interval arithmetic is
    /// already exact there (only per-column steps come before the affine step) or no affine step feeds it.
    private func refinableStart(before index: Int) -> (index: Int, inputs: Int, weights: [Double], bias: [Double],
                                                       scale: [Double]?, shift: [Double]?)? {
        var affine = index - 1, scale: [Double]?, shift: [Double]?
        if affine >= 0, case let .diagonal(s, t) = chain.steps[affine] { (affine, scale, shift) = (affine - 1, s, t) }
        guard affine >= 0, case let .affine(_, inputs, weights, bias) = chain.steps[affine] else { return nil }
        let exact = chain.steps[..<affine].allSatisfy { if case .diagonal = $0 { true } else { false } }
        return exact ? nil : (affine, inputs, weights, bias, scale, shift)
    }

    /// The units of an activation's input worth bounding by back-substitution, ascending: for ReLU and
    /// leaky ReLU those whose interval straddles 0; for other activations every unit. Past `limit`, the
    /// `limit` loosest: by the height of ReLU's triangle relaxation, −l u / (u − l), else by u − l.
    static func unitsToRefine(_ activation: Activation, _ low: [Double], _ high: [Double], limit: Int) -> [Int] {
        guard limit > 0 else { return [] }
        let kinked: Bool
        switch activation {
        case .relu, .leakyReLU: kinked = true
        default: kinked = false
        }
        let units = low.indices.filter { !kinked || (low[$0] < 0 && high[$0] > 0) }
        guard units.count > limit else { return units }
        let looseness = units.map { unit -> Double in
            let (l, u) = (low[unit], high[unit])
            guard l.isFinite, u.isFinite else { return .infinity }
            return kinked ? -l * u / (u - l) : u - l
        }
        let loosest = units.indices.sorted { looseness[$0] > looseness[$1] || (looseness[$0] == looseness[$1] && $0 < $1) }
        return loosest.prefix(limit).map { units[$0] }.sorted()
    }

    /// Back-substitution's start for `units` of an affine step, each scaled and shifted after it if `scale`
    /// and `shift` are given: their weight rows, then the rows negated (`2 units.count x width`), the same in
    /// absolute value, their biases and the biases' magnitudes.
    static func selectedRows(_ units: [Int], weights: [Double], absolute: [Double], bias: [Double], width: Int,
                             scale: [Double]? = nil, shift: [Double]? = nil)
        -> (lambda: [Double], absolute: [Double], constant: [Double], magnitude: [Double]) {
        let count = units.count
        var lambda = [Double](repeating: 0, count: 2 * count * width), magnitudes = lambda
        var constant = [Double](repeating: 0, count: 2 * count), size = constant
        for (row, unit) in units.enumerated() {
            let s = scale?[unit] ?? 1, t = shift?[unit] ?? 0
            for column in 0..<width {
                let w = s * weights[unit * width + column], a = abs(s) * absolute[unit * width + column]
                lambda[row * width + column] = w
                lambda[(count + row) * width + column] = -w
                magnitudes[row * width + column] = a
                magnitudes[(count + row) * width + column] = a
            }
            constant[row] = s * bias[unit] + t
            constant[count + row] = -constant[row]
            size[row] = abs(s) * abs(bias[unit]) + abs(t)
            size[count + row] = size[row]
        }
        return (lambda, magnitudes, constant, size)
    }

    /// `a b` (`a`: rows x depth, `b`: depth x columns, row-major), by BLAS where a library is loaded.
    private static func product(_ a: [Double], _ b: [Double], rows: Int, depth: Int, columns: Int) -> [Double] {
        var c = [Double](repeating: 0, count: rows * columns)
        guard rows > 0, depth > 0, columns > 0 else { return c }
        let multiplied = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    BLAS.multiply(rows: rows, columns: columns, depth: depth, a.baseAddress!, b.baseAddress!, transposingB: false,
                                  into: c.baseAddress!)
                }
            }
        }
        guard !multiplied else { return c }
        for row in 0..<rows {
            for inner in 0..<depth where a[row * depth + inner] != 0 {
                let coefficient = a[row * depth + inner]
                for column in 0..<columns { c[row * columns + column] += coefficient * b[inner * columns + column] }
            }
        }
        return c
    }

    /// The interval of a non-activation step's output.
    private static func interval(_ step: BoundChain.Step, _ low: [Double], _ high: [Double]) -> ([Double], [Double]) {
        switch step {
        case let .affine(rows, cols, weights, bias):
            var lower = [Double](repeating: 0, count: rows), upper = lower
            for unit in 0..<rows {
                var center = bias[unit], radius = 0.0, size = abs(bias[unit])
                for column in 0..<cols {
                    let w = weights[unit * cols + column]
                    let middle = 0.5 * (low[column] + high[column]), half = 0.5 * (high[column] - low[column])
                    center += w * middle
                    radius += abs(w) * half
                    size += abs(w * middle) + abs(w) * half
                }
                let margin = 1e-11 * size + 1e-300
                lower[unit] = center - radius - margin
                upper[unit] = center + radius + margin
            }
            return (lower, upper)
        case let .diagonal(scale, shift):
            var lower = low, upper = high
            for column in low.indices {
                let a = scale[column] * low[column] + shift[column], b = scale[column] * high[column] + shift[column]
                let margin = 1e-12 * (abs(a) + abs(b)) + 1e-300
                lower[column] = min(a, b) - margin
                upper[column] = max(a, b) + margin
            }
            return (lower, upper)
        case .activation:
            preconditionFailure("activations are bounded by their relaxation")
        }
    }

    /// Softmax outputs' intervals: output i is smallest with its own input low and every other high.
    static func softmax(_ low: [Double], _ high: [Double]) -> ([Double], [Double]) {
        let peak = high.max() ?? 0
        let eLow = low.map { Foundation.exp($0 - peak) }, eHigh = high.map { Foundation.exp($0 - peak) }
        let sumHigh = eHigh.reduce(0, +), sumLow = eLow.reduce(0, +)
        var lower = low, upper = high
        for index in low.indices {
            lower[index] = max(0, eLow[index] / (eLow[index] + sumHigh - eHigh[index]) * (1 - 1e-12))
            upper[index] = min(1, eHigh[index] / (eHigh[index] + sumLow - eLow[index]) * (1 + 1e-12))
        }
        return (lower, upper)
    }
}
