import Foundation

/// The `distill predict` table: `prediction,<class...>` with probabilities for classifiers, the output
/// names for regression; one row per input row, numbers with 17 significant digits.
public enum PredictionsCSV {
    /// Renders the network's outputs as the predictions table.
    /// - Parameters:
    ///   - network: The network that produced the outputs (its task and output names).
    ///   - output: The outputs, one row per input row.
    /// - Returns: The CSV text with a header line, each line ending in a newline.
    public static func render(network: Network, output: NetworkOutput) -> String {
        var text = ""
        let header = network.task == .classification ? ["prediction"] + network.outputs : network.outputs
        text += header.map(CSVField.escape).joined(separator: ",") + "\n"
        for row in 0..<output.rows {
            var fields: [String] = []
            if network.task == .classification { fields.append(CSVField.escape(network.outputs[output.predictedClass(row: row)])) }
            for column in 0..<output.width { fields.append(NumberText.roundTrip(output[row, column])) }
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}

/// RFC 4180 quoting of one CSV field.
public enum CSVField {
    /// `field` unchanged, or in double quotes with inner quotes doubled when it holds a comma, quote or line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
