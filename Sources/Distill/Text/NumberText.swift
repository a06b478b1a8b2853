import Foundation

/// Number formatting shared by the emitters.
enum NumberText {
    /// Round-trip text with 17 significant digits (`%.17g`), as the CSV contracts require.
    static func roundTrip(_ value: Double) -> String {
        String(format: "%.17g", value)
    }

    /// The shortest text that reads back as the same Double (Swift's own), used for thresholds.
    static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = "\(value)"
        guard text.contains("e") else { return text }
        // Avoid exponent notation for moderate magnitudes.
        for decimals in 1...20 {
            let candidate = String(format: "%.\(decimals)f", value)
            if Double(candidate) == value { return candidate }
        }
        return text
    }

    /// A fixed number of decimals with trailing zeros (and a trailing point) removed.
    static func trimmed(_ value: Double, decimals: Int) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// `digits` significant digits without exponent notation where avoidable ("152.3", "0.004211").
    static func significant(_ value: Double, digits: Int = 4) -> String {
        let text = String(format: "%.\(digits)g", value)
        guard text.contains("e") else { return text }
        let magnitude = value == 0 ? 0 : Int(log10(abs(value)).rounded(.down))
        if magnitude >= digits, abs(value) < 1e15 { return String(format: "%.0f", value) }
        return text
    }

    /// A share 0...1 as a percentage with one decimal ("97.4%"), "100%" when exactly one.
    static func percent(_ share: Double) -> String {
        if share == 1 { return "100%" }
        // Never print a share below one as 100.0%.
        return String(format: "%.1f%%", min(share * 100, 99.9))
    }
}
