import ArgumentParser
import Distill

extension SurrogateKind: ExpressibleByArgument {}
extension OracleSampler: ExpressibleByArgument {}
extension TrainingData.Streaming: ExpressibleByArgument {}

extension DistillCommand {
    struct Extract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a surrogate (decision tree, oracle-guided tree or rule list) to the network's answers and list it as rules (the default command).",
            discussion: "Example: distill samples/iris/model.json --data samples/iris/train.csv --label species --max-depth 3 -o rules.txt --json result.json"
        )

        @Argument(help: "The model file (specs/model-format.md).")
        var model: String

        @Option(name: [.short, .customLong("output")], help: "Write the rule listing here (default: standard output).")
        var output: String?

        @Option(name: .customLong("json"), help: "Also write the machine-readable result (fidelity, accuracy, size) here.")
        var jsonPath: String?

        @OptionGroup var data: DataOptions

        @OptionGroup(title: "Generated code") var code: CodeOptions

        @Option(help: "Save the fitted surrogate here, for 'distill emit' to generate code from later.")
        var saveSurrogate: String?

        @Option(parsing: .unconditional, help: "Deepest tree level (default 4 unless --max-leaves is given).")
        var maxDepth: Int?

        @Option(parsing: .unconditional, help: "Most leaves; the tree then grows best-first.")
        var maxLeaves: Int?

        @Option(parsing: .unconditional, help: "Fewest fitting rows in a leaf (oracle tree: rows plus drawn points) (default 1).")
        var minSamplesLeaf: Int?

        @Option(help: "Tree split search: auto (exact below 20,000 fitting rows, or 20,000 x 64 / features past 64 features; histograms from there on), exact (every threshold between adjacent values) or histogram (at most 256 quantile bins per feature).")
        var splitSearch: SplitSearch = .automatic

        @Flag(name: .customLong("no-merge"), help: "Keep sibling leaves that predict the same class.")
        var noMerge = false

        @Option(help: "Surrogate: tree (decision tree), oracle-tree (tree grown with the network labelling new points), optimal-tree (the fewest-error tree of depth 3 and up to 8 leaves, the top of deeper trees), rules (rule list simplified from the tree), ripper (RIPPER rule list), rule-search (decision list chosen by search from the conjunctions of trees), tree-sum (small trees whose leaves add up, as FIGS; --max-leaves counts the leaves of all of them, and a linear start as one) or best (the most faithful of these at the size, judged on points drawn apart from fitting).")
        var surrogate: SurrogateKind = .tree

        @Flag(help: "Rule lists: an unordered rule set (the most confident matching rule wins) instead of a decision list.")
        var unordered = false

        @Option(parsing: .unconditional, help: "Rule lists: most rules, counting the default rule.")
        var maxRules: Int?

        @Option(parsing: .unconditional, help: "Rule lists: most conditions in the whole list.")
        var maxConditions: Int?

        @Option(parsing: .unconditional, help: "Oracle tree: every node is topped up to this many points drawn from the input distribution and labelled by the network (default 1000).")
        var minOracleSamples: Int?

        @Flag(help: "Oracle tree: no two-level lookahead where no single split adds fidelity.")
        var noLookahead = false

        @Option(help: "Draw points as perturbed copies of the data rows (rows, keeps dependencies) or from independent kernel marginals (marginals) (default rows).")
        var oracleSampler: OracleSampler?

        @Option(parsing: .unconditional, help: "Drawn points' kernel width as a fraction of Scott's bandwidth (for example 1, 0.5, 0.25), or auto: the widest of 1, 1/2, 1/4 and 1/8 not clearly worse at teaching a tree the network's answers between rows (default auto). It also sets the distribution domain fidelity and certified mass are measured under.")
        var kernelScale: String?

        @Option(parsing: .unconditional, help: "Top the fitting rows up to this many points drawn from the input distribution and labelled by the network (tree, rules, ripper; the oracle tree grows on at most this many of the rows); 0 fits on the data rows alone (default 100000; past 64 inputs, 100000 x 64 / inputs and at least 20000).")
        var oraclePoints: Int?

        @Option(parsing: .unconditional, help: "Rule lists (rules, ripper) fit on the first this many of those points (default 25000; past 64 inputs, 25000 x 64 / inputs and at least 10000).")
        var rulePoints: Int?

        @Option(parsing: .unconditional, help: "Grow trees 4 times larger than asked and prune them back to the size by fidelity on this many drawn points; 0 grows to the size directly (default 20000).")
        var validationPoints: Int?

        @Option(help: "Regression trees: what a leaf predicts, constant (the mean) or linear (a short linear model of raw inputs); regression tree sums: linear lets the output start from such a model (default constant).")
        var leafModel: String?

        @Option(parsing: .unconditional, help: "With --leaf-model linear: most terms in a leaf's model or a tree sum's start (default 3).")
        var maxTerms: Int?

        @Option(parsing: .unconditional, help: "Measure fidelity on this many points drawn from the input distribution, with a 95% interval; 0 for none (default 100000).")
        var domainPoints: Int?

        @Option(help: "Let the surrogate use only the K most important inputs (by permutation importance on the fitting rows): top:K.")
        var features: String?

        @Option(parsing: .unconditional, help: "Let the surrogate use only inputs whose permutation importance (share of decisions changed) is at least this.")
        var minImportance: Double?

        @Flag(help: "Prune the network first (see 'distill prune'); the surrogate imitates the pruned network and its fidelity to the original is reported too.")
        var prune = false

        @Option(parsing: .unconditional, help: "With --prune: largest loss of agreement with the original network, in points.")
        var maxFidelityLoss: Double = 0.5

        @Flag(help: "With --prune: fine-tune the pruned network by distillation.")
        var fineTune = false

        @Flag(help: "Add the surrogate's fitting time (fit_seconds) to the --json result; it varies from run to run.")
        var timing = false

        @OptionGroup(title: "Certification") var certification: CertifyOptions

        @Flag(help: "Print what the run would evaluate and an estimate of its time (from a short timed probe of the network), then exit without writing anything.")
        var dryRun = false

        @OptionGroup var threading: ThreadOptions

        @OptionGroup var names: NameOptions

        /// The command's arguments without the output paths, which say nothing about the result.
        static func settingArguments(_ arguments: ArraySlice<String>) -> [String] {
            var kept: [String] = []
            var skipNext = false
            for argument in arguments {
                if skipNext { skipNext = false; continue }
                if ["-o", "--output", "--json", "--swift", "--c", "--swift-package", "--save-surrogate", "--threads", "--report"].contains(argument) {
                    skipNext = true
                    continue
                }
                if ["--timing", "--progress", "--quiet", "--dry-run"].contains(argument) { continue }
                if ["--output=", "--json=", "--swift=", "--c=", "--swift-package=", "--save-surrogate=", "--threads=", "--report="].contains(where: argument.hasPrefix) {
                    continue
                }
                kept.append(argument.contains(" ") ? "'\(argument)'" : argument)
            }
            return kept
        }

        func validate() throws {
            if let maxDepth, maxDepth < 0 { throw ValidationError("--max-depth must be 0 or more, found \(maxDepth)") }
            if let maxLeaves, maxLeaves < 1 { throw ValidationError("--max-leaves must be 1 or more, found \(maxLeaves)") }
            if let minOracleSamples, minOracleSamples < 0 {
                throw ValidationError("--min-oracle-samples must be 0 or more, found \(minOracleSamples)")
            }
            if surrogate != .oracleTree, surrogate != .best, minOracleSamples != nil || noLookahead {
                throw ValidationError("--min-oracle-samples and --no-lookahead apply to --surrogate oracle-tree")
            }
            for (name, value) in [("--oracle-points", oraclePoints), ("--rule-points", rulePoints), ("--validation-points", validationPoints), ("--domain-points", domainPoints)] {
                if let value, value < 0 { throw ValidationError("\(name) must be 0 or more, found \(value)") }
            }
            if surrogate == .ripper, maxDepth != nil || maxLeaves != nil || minSamplesLeaf != nil || noMerge {
                throw ValidationError("--max-depth, --max-leaves, --min-samples-leaf and --no-merge shape trees; --surrogate ripper learns rules directly")
            }
            if let kernelScale, kernelScale != "auto" {
                guard let scale = Double(kernelScale), scale.isFinite, scale > 0, scale <= 10 else {
                    throw ValidationError("--kernel-scale expects auto or a number above 0 and at most 10, found '\(kernelScale)'")
                }
                if oracleSampler == .marginals {
                    throw ValidationError("--kernel-scale sets the kernel around rows; --oracle-sampler marginals draws each input on its own")
                }
            }
            if let features {
                guard features.hasPrefix("top:"), let count = Int(features.dropFirst(4)), count >= 1 else {
                    throw ValidationError("--features expects top:K with K 1 or more, found '\(features)'")
                }
            }
            if features != nil, minImportance != nil { throw ValidationError("give --features or --min-importance, not both") }
            if !prune, fineTune || maxFidelityLoss != 0.5 { throw ValidationError("--max-fidelity-loss and --fine-tune apply with --prune") }
            // As `distill prune` takes them: points from 0 up to (not including) 100.
            guard maxFidelityLoss >= 0, maxFidelityLoss < 100 else {
                throw ValidationError("--max-fidelity-loss expects points from 0 up to 100, such as 0.5, found \(maxFidelityLoss)")
            }
            if let minImportance, !(minImportance >= 0 && minImportance <= 1) {
                throw ValidationError("--min-importance is a share of decisions changed, from 0 to 1, found \(minImportance)")
            }
            if timing, jsonPath == nil { throw ValidationError("--timing adds fit_seconds to the --json result: give --json FILE too") }
            if let maxRules, maxRules < 1 { throw ValidationError("--max-rules must be 1 or more, found \(maxRules)") }
            if let maxConditions, maxConditions < 0 { throw ValidationError("--max-conditions must be 0 or more, found \(maxConditions)") }
            if surrogate == .ruleSearch, unordered {
                throw ValidationError("--unordered applies to --surrogate rules and ripper; rule-search learns a decision list")
            }
            if [.tree, .oracleTree, .optimalTree].contains(surrogate), unordered || maxRules != nil || maxConditions != nil {
                throw ValidationError("--unordered, --max-rules and --max-conditions apply to rule lists: add --surrogate rules or --surrogate ripper")
            }
            if let minSamplesLeaf, minSamplesLeaf < 1 {
                throw ValidationError("--min-samples-leaf must be 1 or more, found \(minSamplesLeaf)")
            }
            if let leafModel, !["constant", "linear"].contains(leafModel) {
                throw ValidationError("--leaf-model expects constant or linear, found '\(leafModel)'")
            }
            if let maxTerms, maxTerms < 1 || leafModel != "linear" {
                throw ValidationError(maxTerms < 1 ? "--max-terms must be 1 or more, found \(maxTerms)" : "--max-terms applies with --leaf-model linear")
            }
            if leafModel != nil, ![.tree, .treeSum, .best].contains(surrogate) {
                throw ValidationError("--leaf-model shapes regression trees and a tree sum's start: use --surrogate tree, tree-sum or best")
            }
            try data.validate()
            try code.validate()
            try certification.validate()
        }

        func run() throws {
            threading.apply()
            try reportingDiagnostics(threading) {
                var options = Extraction.Options(data: data.trainingOptions, mergeRedundantLeaves: !noMerge, kind: surrogate,
                                                 rules: RuleListSettings(ordered: !unordered, maxRules: maxRules, maxConditions: maxConditions))
                options.tree.maxDepth = maxDepth ?? (maxLeaves == nil ? Extraction.Options.defaultDepth : nil)
                options.tree.maxLeaves = maxLeaves
                if let minSamplesLeaf { options.tree.minSamplesLeaf = max(1, minSamplesLeaf) }
                options.tree.splitSearch = splitSearch
                if let minOracleSamples { options.minOracleSamples = minOracleSamples }
                options.lookahead = !noLookahead
                if let oracleSampler { options.sampler = oracleSampler }
                if let kernelScale, kernelScale != "auto" { options.kernelScale = Double(kernelScale) }
                if let oraclePoints { options.oraclePoints = oraclePoints }
                if let rulePoints { options.rulePoints = rulePoints }
                // Counts given are used as given, whatever the inputs' width.
                options.scalesOraclePoints = oraclePoints == nil
                options.scalesRulePoints = rulePoints == nil
                if let validationPoints { options.validationPoints = validationPoints }
                if let domainPoints { options.domainPoints = domainPoints }
                if leafModel == "linear" { options.leaves = .linear(maxTerms: maxTerms ?? LeafKind.defaultTerms) }
                if let features, let count = Int(features.dropFirst(4)) { options.features = .top(count) }
                if let minImportance { options.features = .minImportance(minImportance) }
                if prune { options.prune = PruningSettings(maxFidelityLoss: maxFidelityLoss / 100, fineTune: fineTune, seed: data.seed) }
                if dryRun {
                    let network = try names.load(model)
                    let prepared = try TrainingData.prepare(network: network, modelPath: model, options: options.data)
                    let probe = try WorkEstimate.Probe.measure(network: network, rows: prepared.train, modelPath: model)
                    var estimate = WorkEstimate.extraction(network: network, rows: prepared.train.rows, heldOut: prepared.test.rows,
                                                           options: options, probe: probe)
                    if let certify = certification.options {
                        estimate.items.append(.certification(maxBoxes: certify.maxBoxes, timeLimit: certify.timeLimit))
                    }
                    return try printToStandardOutput("distill --dry-run: nothing written; the run would evaluate:\n" + DryRunText.render(estimate))
                }
                let command = (["distill"] + Self.settingArguments(CommandLine.arguments.dropFirst())).joined(separator: " ")
                let outputs = try Extraction.outputs(network: try names.load(model), modelPath: model, options: options,
                                                     certification: certification.request, command: command,
                                                     naming: OptionFlags.naming, timing: timing)
                var files = OutputFiles(inputs: [model] + data.inputPaths + names.files)
                if let output, output != "-" { try files.add(outputs.listing, to: output) }
                if let jsonPath { try files.add(outputs.json, to: jsonPath) }
                if let report = certification.report, let page = outputs.certificationReport { try files.add(page, to: report) }
                if let saveSurrogate { try files.add(outputs.saved.render(), to: saveSurrogate) }
                try code.outputs.queue(outputs.saved.generated(typeName: code.typeName, layout: code.layout),
                                       examples: outputs.saved.examples, into: &files)
                try files.commit()
                if output == nil || output == "-" { try printToStandardOutput(outputs.listing) }
            }
        }
    }
}

/// Where the rows come from: shared by every command that fits or measures a surrogate.
struct DataOptions: ParsableArguments {
    @Option(help: "CSV of rows to fit on (default: sample the model's declared input domain).")
    var data: String?

    @Option(help: "CSV of held-out rows (default: hold out --test-fraction of the --data rows).")
    var test: String?

    @Option(help: "Ground-truth column in the CSV files (class name or index, or the target value).")
    var label: String?

    @Option(parsing: .unconditional, help: "Share of rows held out when no --test file is given.")
    var testFraction: Double = 0.25

    @Option(parsing: .unconditional, help: "Points drawn from the declared domain when there is no --data.")
    var samples: Int = 10_000

    @Option(parsing: .unconditional, help: "Seed for every random choice (splitting, sampling).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Read the --data file in blocks, keeping its fitting rows as bins (1 byte per value) for the tree, and evenly spaced rows whole (auto: when its values would fill more than a quarter of memory).",
                               valueName: "auto|always|never"))
    var stream: TrainingData.Streaming = .automatic

    func validate() throws {
        guard testFraction > 0, testFraction < 1 else {
            throw ValidationError("--test-fraction must be between 0 and 1 (exclusive), found \(testFraction)")
        }
        guard samples >= 2 else { throw ValidationError("--samples must be at least 2, found \(samples)") }
        if label != nil, data == nil, test == nil {
            throw ValidationError("--label names a column of --data or --test, but neither is given")
        }
    }

    var trainingOptions: TrainingData.Options {
        var options = TrainingData.Options(dataPath: data, testPath: test, label: label, testFraction: testFraction,
                                           samples: samples, seed: seed)
        options.streaming = stream
        return options
    }

    var inputPaths: [String] { [data, test].compactMap { $0 } }
}
