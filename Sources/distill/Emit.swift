import ArgumentParser
import Distill

extension DistillCommand {
    struct Emit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate Swift or C code from a surrogate saved with --save-surrogate.",
            discussion: "Example (after distill samples/iris/model.json --data samples/iris/train.csv --save-surrogate surrogate.json): distill emit surrogate.json --swift Surrogate.swift --c surrogate.h"
        )

        @Argument(help: "A surrogate file written by 'distill MODEL --save-surrogate FILE'.")
        var surrogate: String

        @OptionGroup(title: "Generated code") var code: CodeOptions

        @OptionGroup var limits: InputLimitOptions

        func validate() throws {
            if code.outputs.isEmpty { throw ValidationError("nothing to emit: give --swift, --c or --swift-package") }
        }

        func run() throws {
            try reportingDiagnostics {
                let saved = try SurrogateDecoder.load(path: surrogate)
                var files = OutputFiles(inputs: [surrogate])
                try code.outputs.queue(saved.generated(typeName: code.typeName, layout: code.layout),
                                       examples: saved.examples, into: &files)
                try files.commit()
            }
        }
    }
}
