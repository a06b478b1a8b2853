extension Comparison {
    /// The comparison as one HTML page (`HTMLReport`), with what the page adds to the sweep computed here:
    /// the permutation importance of the inputs over the data rows and, with `inside`, the neurons and four
    /// groups of neurons of each hidden layer (`NeuronAnalysis`).
    ///
    /// - Parameters:
    ///   - network: the network compared.
    ///   - modelPath: the model's file, named in diagnostics.
    ///   - data: the rows of the comparison; the importance and neurons are measured on `data.dataPath`'s
    ///     rows (or `data.rows`), else on points drawn from the declared domain; seeded by `data.seed`.
    ///   - inside: add the section on the network's neurons and groups.
    ///   - naming: how settings are named on the page.
    /// - Returns: the page.
    /// - Throws: a `Diagnostic` when the rows cannot be read.
    public func htmlReport(network: Network, modelPath: String, data: TrainingData.Options, inside: Bool,
                           naming: OptionNaming = .fields) throws -> String {
        var options = SensitivityAnalysis.Options()
        options.methods = [.permutation]
        options.seed = data.seed
        let rows = try data.rows ?? data.dataPath.map { try DatasetLoader.load(path: $0, network: network, label: nil) }
        let sensitivity = try SensitivityAnalysis.run(network: network, modelPath: modelPath, data: rows, options: options)
        var section: String?
        if inside {
            var settings = NeuronAnalysis.Options()
            settings.groups = 4
            settings.seed = data.seed
            let analysis = try NeuronAnalysis.run(network: network, modelPath: modelPath, data: rows, dataPath: data.dataPath, options: settings)
            section = NeuronHTML.section(analysis.profiles, groups: analysis.groups, network: network, data: analysis.rows,
                                         source: analysis.source, naming: naming)
        }
        return HTMLReport.render(self, sensitivity: sensitivity, inside: section, naming: naming)
    }
}
