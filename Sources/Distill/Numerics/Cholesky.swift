/// Cholesky factorisation of small symmetric positive-definite matrices (row-major p x p), and solves
/// with the factor: the normal equations of least squares, the covariance of a kernel density.
enum Cholesky {
    /// Lower-triangular Cholesky factor of a symmetric positive-definite p x p matrix, or nil.
    static func factor(_ matrix: [Double], _ p: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = matrix[i * p + j]
                for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * p + i] = sum.squareRoot()
                } else {
                    l[i * p + j] = sum / l[j * p + j]
                }
            }
        }
        return l
    }

    /// Solves L L^T x = b.
    static func solve(_ l: [Double], _ p: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<p {
            for k in 0..<i { y[i] -= l[i * p + k] * y[k] }
            y[i] /= l[i * p + i]
        }
        var x = y
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<p { x[i] -= l[k * p + i] * x[k] }
            x[i] /= l[i * p + i]
        }
        return x
    }
}
