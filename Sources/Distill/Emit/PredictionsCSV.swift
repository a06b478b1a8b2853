import Foundation

/// The `distill predict` table: `prediction,<class...>` with probabilities for classifiers, the output
/// names for regression; one row per input row, numbers with 17 significant digits.
public enum PredictionsCSV {
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
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
