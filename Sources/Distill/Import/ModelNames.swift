/// Names given from outside for a model's inputs and outputs (`--feature-names FILE`,
/// `--class-names FILE`): what an ONNX file cannot say (its inputs are `x0..`, its classes `0..` unless
/// the graph holds labels), or a rename of any model's names.
public enum ModelNames {
    /// The names in the file at `path`: one per line (blank lines skipped), or, for a `.csv` file or a
    /// first line holding commas, the header's cells.
    public static func read(path: String) throws -> [String] {
        let text = String(decoding: try FileInput.readBytes(path: path), as: UTF8.self)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingSpaces() }
            .map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
        guard let first = lines.first(where: { !$0.isEmpty }) else { throw Diagnostic(file: path, "no names; expected one per line, or a CSV header") }
        if path.lowercased().hasSuffix(".csv") || first.contains(",") {
            return first.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
        }
        return lines.filter { !$0.isEmpty }
    }

    /// `network` with its inputs named `features` and its outputs `classes` (either may be nil); each list
    /// must have one name per input or output, none empty, none repeated. `featuresFile` and `classesFile`
    /// name the lists in diagnostics.
    public static func apply(to network: Network, features: [String]?, featuresFile: String = "",
                             classes: [String]?, classesFile: String = "") throws -> Network {
        var result = network
        if let features {
            try check(features, expected: network.schema.count, what: "inputs", file: featuresFile)
            var renamed = network.schema.features
            for index in renamed.indices { renamed[index].name = features[index] }
            result.schema = FeatureSchema(features: renamed)
        }
        if let classes {
            try check(classes, expected: network.outputs.count,
                      what: network.task == .classification ? "classes" : "outputs", file: classesFile)
            result.outputs = classes
        }
        return result
    }

    private static func check(_ names: [String], expected: Int, what: String, file: String) throws {
        guard names.count == expected else {
            throw Diagnostic(file: file, "\(names.count) names for the model's \(expected) \(what); expected one per line, in order")
        }
        if let empty = names.firstIndex(of: "") { throw Diagnostic(file: file, "name \(empty + 1) is empty") }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw Diagnostic(file: file, "the name '\(name)' is given twice; names must be unique")
        }
    }
}
