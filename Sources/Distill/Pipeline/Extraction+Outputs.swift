extension Extraction {
    /// Certification asked of a run: the certifier's budget, and whether to refine (refit on the
    /// counterexamples) and how many times at most.
    public struct CertificationRequest: Sendable {
        /// The certifier's budget (boxes, time, tolerance).
        public var options: RuleCertifier.Options
        /// Refits at most this many times on the counterexamples found (`refined`); nil certifies the
        /// surrogate as fitted.
        public var refineRounds: Int?

        /// Certifies with `options`, refining at most `refineRounds` times (nil: no refinement).
        public init(options: RuleCertifier.Options = .init(), refineRounds: Int? = nil) {
            self.options = options
            self.refineRounds = refineRounds
        }
    }

    /// Every output of an extraction, as values: what `distill extract` writes, for a program to write,
    /// show or send as it likes.
    public struct Outputs: Sendable {
        /// The extraction (after refinement, the refit kept).
        public var extraction: Extraction
        /// The certification, when one was asked for.
        public var certification: RuleCertifier.Result?
        /// The rule listing (`-o`), with each rule's certified share when certified.
        public var listing: String
        /// The machine-readable result (`--json`; specs/rules-format.md).
        public var json: String
        /// The certification as one HTML page, when certified.
        public var certificationReport: String?
        /// The surrogate as saved (`--save-surrogate`: `saved.render()`), which also generates Swift and C
        /// code (`saved.generated(typeName:layout:)`).
        public var saved: SavedSurrogate
    }

    /// Runs the job and renders every output.
    ///
    /// - Parameters:
    ///   - network: the network to imitate.
    ///   - modelPath: the model's file, named in diagnostics and in the outputs.
    ///   - options: what to fit, and where the rows come from.
    ///   - certification: certify the surrogate (and refine it) too; nil by default.
    ///   - command: what made the outputs, for the listing's `# command:` line and the saved surrogate.
    ///   - naming: how settings are named in the listing (the tool's flags, or the settings fields).
    ///   - timing: add the fitting time to the JSON result (it varies from run to run).
    /// - Returns: the extraction, its certification, and every output as text.
    /// - Throws: as `run`; a `Diagnostic` when certification is asked of a surrogate whose rules predict no
    ///   constant (a tree with linear leaves).
    public static func outputs(network: Network, modelPath: String, options: Options, certification: CertificationRequest? = nil,
                               command: String, naming: OptionNaming = .fields, timing: Bool = false) throws -> Outputs {
        var options = options
        if certification != nil { options.constantRulesOnly = true }
        var extraction = try run(network: network, modelPath: modelPath, options: options)
        var certified: RuleCertifier.Result?
        if let certification {
            let outcome = try certification.refineRounds.map { try extraction.refined(certification.options, rounds: $0) }
                ?? extraction.certify(certification.options).map { Certified(extraction: extraction, certification: $0) }
            guard let outcome else {
                let what = if case .sum = extraction.surrogate { "a tree sum's rules each add to a score" } else { "a tree with {leaves} linear has none" }
                throw Diagnostic("{certify} needs rules that predict a constant; \(what)", failure: .usage)
            }
            (extraction, certified) = (outcome.extraction, outcome.certification)
        }
        var listing = RuleListing.render(extraction, command: command, naming: naming)
        if let certified { listing = CertificationText.annotate(listing, with: certified, naming: naming) }
        return Outputs(extraction: extraction, certification: certified, listing: listing,
                       json: ExtractionJSON.render(extraction, timing: timing, certification: certified),
                       certificationReport: certified.map { CertificationReport.render($0, network: extraction.network, listing: listing) },
                       saved: extraction.saved(listing: listing, command: command))
    }
}
