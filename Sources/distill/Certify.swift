import ArgumentParser
import Distill
import Foundation

/// `--certify` and its budget, on extraction; `distill certify` is extraction with `--certify`.
struct CertifyOptions: ParsableArguments {
    @Flag(help: "Prove where each rule agrees with the network (branch and bound over boxes with sound bounds) and find counterexamples where it does not: each rule gains its certified share of mass.")
    var certify = false

    @Option(parsing: .unconditional, help: "With --certify: most boxes bounded, over all rules (default 200000).")
    var maxBoxes: Int?

    @Option(parsing: .unconditional, help: "With --certify: stop the search after this many seconds (default 60; a run cut short depends on the machine and says so).")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "With --certify on a regression network: a rule holds where the network's output is within this of the rule's value (default 0).")
    var tolerance: Double?

    @Flag(help: "With --certify: add the counterexamples found to the fitting points and refit the surrogate (same size), again while the certified share grows; the listing says by how much.")
    var refine = false

    @Option(parsing: .unconditional, help: "With --refine: most refits (default 3).")
    var refineRounds: Int?

    @Option(parsing: .unconditional, help: "With --certify: write the certification as one HTML page (per rule a bar of certified, refuted and undecided mass, the counterexamples, the listing).")
    var report: String?

    func validate() throws {
        if !certify, maxBoxes != nil || timeLimit != nil || tolerance != nil || refine || refineRounds != nil || report != nil {
            throw ValidationError("--max-boxes, --time-limit, --tolerance, --refine and --report apply with --certify (or distill certify)")
        }
        if refineRounds != nil, !refine { throw ValidationError("--refine-rounds applies with --refine") }
        if let refineRounds, refineRounds < 1 { throw ValidationError("--refine-rounds must be 1 or more, found \(refineRounds)") }
        if let maxBoxes, maxBoxes < 1 { throw ValidationError("--max-boxes must be 1 or more, found \(maxBoxes)") }
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) { throw ValidationError("--time-limit must be a positive number of seconds, found \(timeLimit)") }
        if let tolerance, !(tolerance >= 0 && tolerance.isFinite) { throw ValidationError("--tolerance must be 0 or more, found \(tolerance)") }
    }

    /// What to certify, or nil without --certify.
    var request: Extraction.CertificationRequest? {
        options.map { Extraction.CertificationRequest(options: $0, refineRounds: refine ? refineRounds ?? Extraction.defaultRefinementRounds : nil) }
    }

    /// The certifier's options, or nil without --certify.
    var options: RuleCertifier.Options? {
        guard certify else { return nil }
        var options = RuleCertifier.Options()
        if let maxBoxes { options.maxBoxes = maxBoxes }
        if let timeLimit { options.timeLimit = timeLimit }
        options.tolerance = tolerance
        return options
    }
}

extension DistillCommand {
    struct Certify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract a surrogate and prove where each of its rules agrees with the network: 'distill extract --certify'.",
            discussion: "Takes every flag of 'distill extract' (see 'distill extract --help'), and --max-boxes, --time-limit, --tolerance, --refine, --refine-rounds and --report. Example: distill certify samples/iris/model.json --data samples/iris/train.csv --label species --json certified.json -o rules.txt"
        )

        @Argument(parsing: .captureForPassthrough, help: "The model and the flags of 'distill extract'.")
        var arguments: [String] = []

        func run() throws {
            if arguments.contains("--help") || arguments.contains("-h") {
                try printToStandardOutput(Self.helpMessage() + "\n\n" + DistillCommand.helpMessage(for: Extract.self) + "\n")
                return
            }
            let extract: Extract
            do {
                extract = try Extract.parse(arguments + ["--certify"])
            } catch {
                try? OutputFiles.write("Error: \(Extract.message(for: error))\nUsage: distill certify <model> [the flags of 'distill extract']\n  See 'distill certify --help' for more information.\n",
                                       to: STDERR_FILENO, path: "standard error")
                throw ExitCode(Extract.exitCode(for: error).rawValue == 0 ? 0 : 64)
            }
            try extract.run()
        }
    }
}
