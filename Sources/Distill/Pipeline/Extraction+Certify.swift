/// Certification of an extraction's surrogate (`RuleCertifier`): its rules' boxes clipped to the input
/// domain (declared bounds, else the fitting rows' range), boxes built around the fitting rows (the centres
/// of the distribution's clouds, when points are drawn around rows) and around points drawn from the same input distribution as the domain
/// fidelity (more drawn as branch and bound needs them), and mass measured on a second, independent draw
/// (points outside the domain left out of both).
extension Extraction {
    /// Refits `refined` tries unless told otherwise (`--refine-rounds`).
    public static let defaultRefinementRounds = 3

    /// An extraction and its certification (`refined`).
    public struct Certified: Sendable {
        /// The extraction kept: the first fit, or the refit whose certified share of mass was largest.
        public var extraction: Extraction
        /// Its certification, with the refinement steps.
        public var certification: RuleCertifier.Result

        /// Pairs an extraction with its certification.
        public init(extraction: Extraction, certification: RuleCertifier.Result) {
            self.extraction = extraction
            self.certification = certification
        }
    }

    /// The seed of certification's `batch`th draw of points to build boxes around (0: the first). Later
    /// draws take streams of their own, seeded by a number mixed from the batch's: seeds a whole number of
    /// SplitMix steps apart would replay one stream, shifted.
    static func drawSeed(_ seed: UInt64, batch: Int) -> UInt64 {
        guard batch > 0 else { return seed &+ 0xCE27 }
        var mixer = SeededGenerator(seed: seed &+ 0xCE27 &+ UInt64(batch))
        return mixer.next()
    }

    /// Nil for a surrogate whose rules predict no constant (a tree with linear leaves).
    public func certify(_ options: RuleCertifier.Options, massPoints: Int = 20_000) -> RuleCertifier.Result? {
        let rows = data.train
        let domain = RawBox(domainOf: network.schema, rows: rows.values)
        let width = network.schema.count
        // Two draws: the points boxes are built around, and the points the shares are measured on.
        let distribution = inputDistribution ?? InputDistribution(data: rows)
        let (network, sampler, seed) = (self.network, self.options.sampler, self.options.data.seed)
        @Sendable func draw(_ count: Int, seed: UInt64) -> [Double] {
            // The certifier evaluates the network on the points itself.
            let drawn = OracleSample.drawPoints(count, network: network, distribution: distribution, rows: rows, sampler: sampler,
                                                seed: seed)
            var kept: [Double] = []
            kept.reserveCapacity(drawn.values.count)
            drawn.values.withUnsafeBufferPointer { values in
                for row in 0..<drawn.rows {
                    let slice = UnsafeBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])
                    if domain.contains(slice) { kept.append(contentsOf: slice) }
                }
            }
            return kept
        }
        let more: @Sendable (Int, Int) -> [Double] = { batch, count in draw(count, seed: Self.drawSeed(seed, batch: batch)) }
        guard var result = RuleCertifier(network: network, surrogate: surrogate, domain: domain, points: draw(massPoints, seed: Self.drawSeed(seed, batch: 0)),
                                         measure: draw(massPoints, seed: seed &+ 0x3EA5), spread: distribution.drawSpread(rows: rows),
                                         centres: sampler == .rows ? rows.values : [], morePoints: more).certify(options) else { return nil }
        if data.test.rows > 0 { result.heldOutCertified = result.certifiedShare(of: data.test.values, surrogate: surrogate, domain: domain) }
        return result
    }
}

extension Extraction {
    /// Counterexamples kept per rule while refining: the points a refit learns from.
    static let refinementCounterexamples = 100

    /// Certification with refinement: the counterexamples found (up to `refinementCounterexamples` per
    /// rule: drawn points where the network disagrees with the rule deciding them, and points found by
    /// gradient search) are added to the fitting sample, labelled by the network, and the surrogate is
    /// refitted with the same settings and certified again; this repeats, the counterexamples of every
    /// round kept, while the certified share of mass grows, at most `rounds` times. Returns the most
    /// certified extraction and its certification (counterexamples cut to `options.counterexamples` per
    /// rule, `refinement` listing every surrogate tried); nil as `certify`. Throws for an extraction of a
    /// pruned network (refit it unpruned) and as `run`.
    public func refined(_ options: RuleCertifier.Options, rounds: Int = Extraction.defaultRefinementRounds) throws -> Certified? {
        if self.options.prune != nil {
            throw Diagnostic(file: modelPath, "refinement refits the surrogate on the network given; it does not combine with pruning", failure: .usage)
        }
        var harvesting = options
        harvesting.counterexamples = max(options.counterexamples, Self.refinementCounterexamples)
        guard var best = certify(harvesting) else { return nil }
        var kept = self, added: [Double] = [], steps = [RuleCertifier.Refinement(counterexamples: 0, certifiedMass: best.certifiedMass, kept: true)]
        for _ in 0..<max(rounds, 0) {
            let found = best.rules.flatMap { $0.counterexamples.flatMap(\.inputs) }
            guard !found.isEmpty else { break }
            let candidate = added + found
            let refit = try Extraction.run(network: network, modelPath: modelPath, options: self.options, added: candidate)
            guard let result = refit.certify(harvesting) else { break }
            let grew = result.certifiedMass > best.certifiedMass
            steps.append(RuleCertifier.Refinement(counterexamples: candidate.count / max(network.schema.count, 1),
                                                  certifiedMass: result.certifiedMass, kept: grew))
            guard grew else { break }
            (kept, best, added) = (refit, result, candidate)
        }
        for index in best.rules.indices { best.rules[index].counterexamples = Array(best.rules[index].counterexamples.prefix(options.counterexamples)) }
        best.refinement = steps
        return Certified(extraction: kept, certification: best)
    }
}
