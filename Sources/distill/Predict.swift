import ArgumentParser
import Distill

extension DistillCommand {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate the network on CSV rows: the predicted class and class probabilities (or the outputs).",
            discussion: "Example: distill predict samples/iris/model.json --data samples/iris/test.csv -o predictions.csv"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Option(help: "CSV of input rows; columns matched to the model's inputs by name.")
        var data: String

        @Option(name: [.short, .customLong("output")], help: "Write the predictions here (default: standard output).")
        var output: String?

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                let network = try names.load(model)
                let rows = try DatasetLoader.load(path: data, network: network, label: nil)
                let result = try BatchPrediction.run(network: network, rows: rows, modelPath: model)
                let text = PredictionsCSV.render(network: network, output: result)
                try writeOrPrint(text, to: output, inputs: [model, data] + names.files)
            }
        }
    }
}
