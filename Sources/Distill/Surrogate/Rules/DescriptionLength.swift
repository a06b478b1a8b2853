import Foundation

/// RIPPER's description length in bits (Cohen 1995, as implemented by wittgenstein): the theory (each
/// rule: half of ||k|| + k log2(1/p) + (n - k) log2(1/(1 - p)) with k its conditions, n the possible
/// conditions, p = k/n) plus the exceptions (log2 C(covered, false positives) + log2 C(uncovered,
/// false negatives)).
enum DescriptionLength {
    static func ruleBits(conditions k: Int, possible n: Int) -> Double {
        guard k > 0, n > 0 else { return 0 }
        let n = max(n, k)
        let p = Double(k) / Double(n)
        var bits = Double(k) * log2(1 / p)
        if k < n { bits += Double(n - k) * log2(1 / (1 - p)) }
        return 0.5 * (log2(Double(k)) + bits)
    }

    /// log2 of the binomial coefficient C(n, k).
    static func log2Choose(_ n: Int, _ k: Int) -> Double {
        guard k > 0, k < n else { return 0 }
        return (lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))) / log(2)
    }

    static func exceptionBits(covered: Int, falsePositives: Int, uncovered: Int, falseNegatives: Int) -> Double {
        log2Choose(covered, falsePositives) + log2Choose(uncovered, falseNegatives)
    }
}
