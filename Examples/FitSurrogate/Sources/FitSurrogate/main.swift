import Distill
import Foundation

// Fit a surrogate from Swift: load a model and its data, fit, list the rules, generate code. The embedded
// `IrisSurrogate` (IrisSurrogate.swift beside this file) is the code this program generates; it checks that
// the file is up to date (`swift run FitSurrogate --regenerate` rewrites it) and that the embedded surrogate
// answers as the fitted one on every held-out row.
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let samples = here.appendingPathComponent("../../../../samples/iris").standardizedFileURL

do {
    // 1. The network and its rows (the label column is left out of the inputs).
    let network = try ModelDecoder.load(path: samples.appendingPathComponent("model.json").path)
    let train = try DatasetLoader.load(path: samples.appendingPathComponent("train.csv").path, network: network, label: "species")
    let test = try DatasetLoader.load(path: samples.appendingPathComponent("test.csv").path, network: network, label: "species")

    // 2. Fit a depth-3 tree to the network's answers on the rows and on points drawn around them.
    var options = Extraction.Options()
    options.tree.maxDepth = 3
    let extraction = try Extraction.run(network: network, rows: train, test: test, options: options)

    // 3. The rules, and their fidelity to the network on the held-out rows.
    let listing = RuleListing.render(extraction, command: "swift run FitSurrogate (Examples/FitSurrogate)")
    print(listing, terminator: "")

    // 4. Swift source for the surrogate, to embed in an app.
    let saved = extraction.saved(listing: listing, command: "swift run FitSurrogate --regenerate (Examples/FitSurrogate)")
    let source = SwiftSourceEmitter.render(saved.generated(typeName: "IrisSurrogate"))
    let embedded = here.appendingPathComponent("IrisSurrogate.swift")
    if CommandLine.arguments.contains("--regenerate") {
        try source.write(to: embedded, atomically: true, encoding: .utf8)
        print("wrote \(embedded.path); build and run again to check it")
        exit(0)
    } else if try String(contentsOf: embedded, encoding: .utf8) != source {
        print("IrisSurrogate.swift is not the code distill generates now; run `swift run FitSurrogate --regenerate`")
        exit(1)
    }

    // 5. The embedded surrogate decides every held-out row as the fitted one does.
    let fitted = extraction.surrogate.predictClasses(raw: test.values, rows: test.rows)
    let width = network.schema.count
    for row in 0..<test.rows {
        let features = Array(test.values[(row * width)..<((row + 1) * width)])
        let answer = IrisSurrogate.predict(features: features).rawValue
        guard answer == network.outputs[fitted[row]] else {
            print("row \(row + 1): the embedded surrogate says \(answer), the fitted one \(network.outputs[fitted[row]])")
            exit(1)
        }
    }
    print("the embedded IrisSurrogate decides all \(test.rows) held-out rows as the fitted surrogate does")
} catch let diagnostic as Diagnostic {
    print("\(diagnostic)")
    exit(1)
}
