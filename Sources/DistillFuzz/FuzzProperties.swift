import Foundation
import Distill

/// What must hold for every input a front end accepts; a broken property stops the fuzzer with a message
/// (libFuzzer saves the input as a crash).
enum FuzzProperties {
    /// A decoded model evaluates (finite answers or a diagnostic) and survives the native format's round trip.
    static func model(_ bytes: [UInt8]) {
        guard let network = try? ModelDecoder.decode(bytes, file: "fuzz.json") else { return }
        exercise(network)
    }

    static func onnx(_ bytes: [UInt8]) {
        guard let network = try? ONNXImporter.decode(Data(bytes), file: "fuzz.onnx") else { return }
        exercise(network)
    }

    /// A decoded surrogate predicts its own examples, renders back to the same surrogate and generates code.
    static func surrogate(_ bytes: [UInt8]) {
        guard let saved = try? SurrogateDecoder.decode(bytes, file: "fuzz.surrogate.json") else { return }
        let width = saved.surrogate.schema.count
        let rows = width == 0 ? 0 : saved.examples.count / width
        if saved.surrogate.task == .classification {
            let classes = saved.surrogate.predictClasses(raw: saved.examples, rows: rows)
            check(classes.allSatisfy { saved.surrogate.outputs.indices.contains($0) }, "a predicted class outside the outputs")
        } else {
            _ = saved.surrogate.predictValues(raw: saved.examples, rows: rows)
        }
        let again: SavedSurrogate
        do { again = try SurrogateDecoder.decode(Array(saved.render().utf8), file: "again.json") } catch {
            fatalError("a decoded surrogate's own rendering is refused: \(error)")
        }
        check(again == saved, "a surrogate's rendering decodes to a different surrogate")
        let generated = saved.generated()
        _ = SwiftSourceEmitter.render(generated)
        _ = CHeaderEmitter.render(generated)
    }

    /// The data reader's two paths (straight from the bytes, and through the table of strings) give the
    /// same values, labels and verdict.
    static func csv(_ bytes: [UInt8], network: Network) {
        for label in [nil, "species"] as [String?] {
            let fast = Result { try DatasetLoader.decode(bytes, file: "fuzz.csv", network: network, label: label) }
            let general = Result {
                try DatasetLoader.convert(try CSVReader.parse(bytes, file: "fuzz.csv"), file: "fuzz.csv", network: network, label: label)
            }
            switch (fast, general) {
            case let (.success(a), .success(b)):
                check(a.rows == b.rows && a.labels == b.labels
                      && a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "the CSV paths read different values")
            case let (.failure(a), .failure(b)):
                check("\(a)" == "\(b)", "the CSV paths give different diagnostics")
            default:
                fatalError("one CSV path accepts what the other refuses: \(fast) against \(general)")
            }
        }
    }

    /// Three rows (all zeros, every input at its minimum, every input at its maximum) through the
    /// network, and the network through the native format and back.
    private static func exercise(_ network: Network) {
        let features = network.schema.features
        var raw: [Double] = Array(repeating: 0, count: features.count)
        for pickMax in [false, true] {
            raw += features.map { feature -> Double in
                switch feature.kind {
                case let .continuous(min, max): return (pickMax ? max : min) ?? 0
                case .binary: return pickMax ? 1 : 0
                case let .categorical(values): return pickMax ? Double(values.count - 1) : 0
                }
            }
        }
        let evaluator = NetworkEvaluator(network: network, threads: 1)
        if let output = try? evaluator.checkedEvaluate(raw: raw, rows: 3, file: "fuzz", what: "rows") {
            check(output.values.allSatisfy(\.isFinite), "checkedEvaluate let a non-finite answer through")
        }
        let text = ModelDocument.render(network)
        do {
            let again = try ModelDecoder.decode(Array(text.utf8), file: "again.json")
            check(again == network, "a network's rendering decodes to a different network")
        } catch {
            fatalError("a decoded network's own rendering is refused: \(error)")
        }
    }

    private static func check(_ condition: Bool, _ message: String) {
        if !condition { fatalError(message) }
    }
}
