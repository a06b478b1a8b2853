/// Certification of an extraction's surrogate (`RuleCertifier`): its rules' boxes clipped to the input
/// domain (declared bounds, else the fitting rows' range), with mass measured on points drawn from the
/// same input distribution as the domain fidelity (other draws), those outside the domain left out.
extension Extraction {
    /// Nil for a surrogate whose rules predict no constant (a tree with linear leaves).
    public func certify(_ options: RuleCertifier.Options, massPoints: Int = 20_000) -> RuleCertifier.Result? {
        let rows = data.train
        let domain = RawBox(domainOf: network.schema, rows: rows.values)
        let drawn = OracleSample.draw(massPoints, network: network, distribution: InputDistribution(data: rows), rows: rows,
                                      sampler: self.options.sampler, seed: self.options.data.seed &+ 0xCE27).points
        let width = network.schema.count
        var points: [Double] = []
        points.reserveCapacity(drawn.values.count)
        drawn.values.withUnsafeBufferPointer { values in
            for row in 0..<drawn.rows {
                let slice = UnsafeBufferPointer(rebasing: values[(row * width)..<((row + 1) * width)])
                if domain.contains(slice) { points.append(contentsOf: slice) }
            }
        }
        return RuleCertifier(network: network, surrogate: surrogate, domain: domain, points: points).certify(options)
    }
}
