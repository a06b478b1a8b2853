/// Certification of an extraction's surrogate (`RuleCertifier`): its rules' boxes clipped to the input
/// domain (declared bounds, else the fitting rows' range), boxes built around points drawn from the same
/// input distribution as the domain fidelity and mass measured on a second, independent draw (points
/// outside the domain left out of both).
extension Extraction {
    /// Nil for a surrogate whose rules predict no constant (a tree with linear leaves).
    public func certify(_ options: RuleCertifier.Options, massPoints: Int = 20_000) -> RuleCertifier.Result? {
        let rows = data.train
        let domain = RawBox(domainOf: network.schema, rows: rows.values)
        let width = network.schema.count
        // Two draws: the points boxes are built around, and the points the shares are measured on.
        let draws = [UInt64(0xCE27), 0x3EA5].map { offset -> [Double] in
            let drawn = OracleSample.draw(massPoints, network: network, distribution: InputDistribution(data: rows), rows: rows,
                                          sampler: self.options.sampler, seed: self.options.data.seed &+ offset).points
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
        guard var result = RuleCertifier(network: network, surrogate: surrogate, domain: domain, points: draws[0],
                                         measure: draws[1]).certify(options) else { return nil }
        if data.test.rows > 0 { result.heldOutCertified = result.certifiedShare(of: data.test.values, surrogate: surrogate, domain: domain) }
        return result
    }
}
