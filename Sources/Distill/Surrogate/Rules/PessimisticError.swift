import Foundation

/// C4.5's pessimistic error estimate: the upper limit of the binomial confidence interval for `errors`
/// among `cases` at confidence level `CF` (25% by default), as in Quinlan's `AddErrs`.
public enum PessimisticError {
    /// z² for the confidence level, interpolated in C4.5's own table (CF 0.25 gives z = 0.6925).
    static func coefficient(confidence: Double) -> Double {
        let levels = [0, 0.001, 0.005, 0.01, 0.05, 0.10, 0.20, 0.40, 1.00]
        let deviations = [4.0, 3.09, 2.58, 2.33, 1.65, 1.28, 0.84, 0.25, 0.00]
        var index = 0
        while index < levels.count - 1 && confidence > levels[index] { index += 1 }
        guard index > 0 else { return deviations[0] * deviations[0] }
        let z = deviations[index - 1] + (deviations[index] - deviations[index - 1])
            * (confidence - levels[index - 1]) / (levels[index] - levels[index - 1])
        return z * z
    }

    static let defaultCoefficient = coefficient(confidence: 0.25)

    /// Extra errors to add to `errors` observed among `cases` (Quinlan's AddErrs).
    public static func extraErrors(cases: Double, errors: Double, confidence: Double = 0.25) -> Double {
        guard cases > 0 else { return 0 }
        let coeff = confidence == 0.25 ? defaultCoefficient : coefficient(confidence: confidence)
        if errors < 1e-6 {
            return cases * (1 - exp(log(confidence) / cases))
        } else if errors < 0.9999 {
            let base = cases * (1 - exp(log(confidence) / cases))
            return base + errors * (extraErrors(cases: cases, errors: 1, confidence: confidence) - base)
        } else if errors + 0.5 >= cases {
            return 0.67 * (cases - errors)
        }
        let e = errors + 0.5
        let upper = (e + coeff / 2 + (coeff * (e * (1 - e / cases) + coeff / 4)).squareRoot()) / (cases + coeff)
        return cases * upper - errors
    }

    /// Pessimistic error rate: (errors + extra errors) / cases (1 for no cases).
    public static func rate(cases: Int, errors: Int) -> Double {
        guard cases > 0 else { return 1 }
        return (Double(errors) + extraErrors(cases: Double(cases), errors: Double(errors))) / Double(cases)
    }
}
