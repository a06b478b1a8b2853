/// 95% intervals for the per-column means of a row-major table of per-row values: mean ± 1.96 standard
/// errors (the normal approximation, sample standard deviation over √n); a point for fewer than two rows.
/// Sensitivity methods that average a score over explained rows report these, so that a mean over a
/// sample of the rows says how far it may be from the mean over all of them.
public enum MeanIntervals {
    /// - Parameters:
    ///   - values: `rows × columns` values, row-major.
    ///   - rows: rows of `values`.
    ///   - means: the mean of each column (as the caller computed it, so the interval is centred on the
    ///     value reported).
    /// - Returns: per column, the interval around its mean.
    /// - Complexity: O(rows × columns).
    public static func of(_ values: [Double], rows: Int, means: [Double]) -> [Interval] {
        let columns = means.count
        guard rows > 1 else { return means.map { Interval($0, $0) } }
        var squares = [Double](repeating: 0, count: columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let deviation = values[row * columns + column] - means[column]
                squares[column] += deviation * deviation
            }
        }
        return (0..<columns).map { column in
            let error = (squares[column] / Double(rows - 1) / Double(rows)).squareRoot()
            return Interval(means[column] - 1.96 * error, means[column] + 1.96 * error)
        }
    }
}
