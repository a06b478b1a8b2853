import Foundation

/// Sizes in bytes as flags take them (`6G`, `512M`, `100k`, `4096`) and as messages show them.
public enum ByteCount {
    /// `text` read as a size: a whole or decimal number, optionally followed by K, M, G or T (powers of
    /// 1024, with or without a trailing B; case ignored); nil for anything else, zero, or beyond Int.
    public static func parse(_ text: String) -> Int? {
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var factor = 1.0
        if let last = digits.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            factor = Double(1 << (10 * power))
            digits.removeLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let number = Double(digits), number.isFinite else { return nil }
        let bytes = (number * factor).rounded()
        guard bytes >= 1, bytes < Double(Int.max) else { return nil }
        return Int(bytes)
    }

    /// `bytes` in the largest unit that keeps a whole number before the point: `6.0 GB`, `512.0 MB`, `4096 bytes`.
    public static func text(_ bytes: Int) -> String {
        for (unit, power) in [("TB", 4), ("GB", 3), ("MB", 2), ("KB", 1)] where Double(bytes) >= Double(1 << (10 * power)) {
            return String(format: "%.1f", Double(bytes) / Double(1 << (10 * power))) + " " + unit
        }
        return "\(bytes) bytes"
    }
}
