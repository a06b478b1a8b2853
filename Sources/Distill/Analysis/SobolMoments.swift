/// The model's outputs on Saltelli's design: f(A), f(B) and f(A with column i from B) for each i.
struct SaltelliEvaluations {
    let fa: [Double]
    let fb: [Double]
    let fab: [[Double]]

    /// The mean output over f(A) and f(B) on `rows`.
    func mean(_ rows: Range<Int>) -> Double {
        rows.reduce(0) { $0 + fa[$1] + fb[$1] } / Double(2 * rows.count)
    }

    /// The means of the estimators' per-row terms over `rows`, centred at `mean`.
    func moments(_ rows: Range<Int>, mean: Double) -> SobolMoments {
        let count = Double(rows.count)
        var variance = 0.0
        for row in rows { variance += ((fa[row] - mean) * (fa[row] - mean) + (fb[row] - mean) * (fb[row] - mean)) / 2 }
        var saltelli = [Double](repeating: 0, count: fab.count), jansenFirst = saltelli, jansenTotal = saltelli
        for (i, column) in fab.enumerated() {
            var s = 0.0, first = 0.0, total = 0.0
            for row in rows {
                s += fb[row] * (column[row] - fa[row])
                first += (fb[row] - column[row]) * (fb[row] - column[row])
                total += (fa[row] - column[row]) * (fa[row] - column[row])
            }
            saltelli[i] = s / count
            jansenFirst[i] = first / count
            jansenTotal[i] = total / count
        }
        return SobolMoments(mean: mean, variance: variance / count, saltelli: saltelli,
                            jansenFirst: jansenFirst, jansenTotal: jansenTotal)
    }
}

/// Means of the per-row terms the index estimators are ratios of.
struct SobolMoments {
    /// The centre of `variance`.
    var mean: Double
    /// mean of ((f(A) - mean)^2 + (f(B) - mean)^2) / 2.
    var variance: Double
    /// mean of f(B) (f(AB_i) - f(A)), Saltelli's first-order numerator.
    var saltelli: [Double]
    /// mean of (f(B) - f(AB_i))^2, Jansen's first-order complement (twice).
    var jansenFirst: [Double]
    /// mean of (f(A) - f(AB_i))^2, Jansen's total-order numerator (twice).
    var jansenTotal: [Double]

    /// First order: the mean of Saltelli's (2010) and Jansen's (1999) estimators, which use the same
    /// evaluations and err in different directions (a lighter tail than either alone).
    func first(_ i: Int) -> Double {
        (saltelli[i] / variance + 1 - 0.5 * jansenFirst[i] / variance) / 2
    }

    /// Total order (Jansen).
    func total(_ i: Int) -> Double { 0.5 * jansenTotal[i] / variance }

    /// A block's first-order value to first order in its deviations from these (the whole's) moments.
    func linearisedFirst(_ i: Int, block: SobolMoments) -> Double {
        let dv = block.variance - variance
        let saltelliValue = saltelli[i] / variance, jansenValue = 1 - 0.5 * jansenFirst[i] / variance
        let dSaltelli = (block.saltelli[i] - saltelli[i] - saltelliValue * dv) / variance
        let dJansen = (-0.5 * (block.jansenFirst[i] - jansenFirst[i]) + (1 - jansenValue) * dv) / variance
        return first(i) + (dSaltelli + dJansen) / 2
    }

    /// A block's total-order value to first order in its deviations from these moments.
    func linearisedTotal(_ i: Int, block: SobolMoments) -> Double {
        let value = total(i)
        return value + (0.5 * (block.jansenTotal[i] - jansenTotal[i]) - value * (block.variance - variance)) / variance
    }
}
