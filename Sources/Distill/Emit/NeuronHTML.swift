/// `distill neurons` as pictures and HTML: each neuron's maximising input drawn over the model's image, and
/// the "Inside the network" section (neurons and groups per hidden layer) of `neurons --report` and
/// `compare --inside`.
public enum NeuronHTML {
    /// Per neuron, its maximising input drawn as an image (on the scale of the image's range over `data`),
    /// then per group the mean of its 5 strongest rows. Nil when the model has no image.
    public static func pixelMaps(_ profiles: [NeuronProfile], groups: [NeuronGroups] = [], network: Network, data: Dataset,
                                 image: ImageShape? = nil) -> String? {
        guard let shape = image ?? network.image, !profiles.isEmpty || !groups.isEmpty else { return nil }
        let d = data.schema.count
        var low = Double.infinity, high = -Double.infinity
        for row in 0..<data.rows { for feature in shape.inputs { low = min(low, data.values[row * d + feature]); high = max(high, data.values[row * d + feature]) } }
        let range: ClosedRange<Double>? = low <= high ? low...high : nil
        var panels: [PixelMapSVG.Panel] = profiles.map { profile in
            .image(title: "\(profile.name) \(NumberText.significant(profile.maximised.activation, digits: 3))", values: profile.maximised.inputs, range: range)
        }
        for layer in groups {
            for group in layer.groups {
                var mean = [Double](repeating: 0, count: d)
                for entry in group.mostActive { for j in 0..<d { mean[j] += data.values[entry.row * d + j] / Double(group.mostActive.count) } }
                panels.append(.image(title: "\(group.name) rows", values: mean, range: range))
            }
        }
        let what = groups.isEmpty ? "" : "; groups: the mean of their 5 strongest rows"
        return PixelMapSVG.render(title: "Inputs that maximise each neuron (activation reached)\(what)", shape: shape, panels: panels, columns: 8,
                                  cell: max(2, PixelMapSVG.cellSize(for: shape) / 2))
    }

    /// Neurons whose maximising inputs a page draws per layer at most.
    public static let pictured = 64

    /// The "Inside the network" section: per hidden layer, its neurons' pictures (with an image; at most
    /// `pictured`), a table of the neurons, and the groups when found.
    public static func section(_ profiles: [NeuronProfile], groups: [NeuronGroups], network: Network, data: Dataset,
                               source: String, image: ImageShape? = nil, naming: OptionNaming = .fields) -> String {
        let schema = network.schema
        func cell(_ text: String) -> String { "<td>\(SVGBarChart.escape(text))</td>" }
        func strongest(_ inputs: [NeuronProfile.InputScore]) -> String {
            inputs.map { "\(schema.features[$0.feature].name) \(NumberText.significant($0.score, digits: 3))" }.joined(separator: ", ")
        }
        var html = "<h2>Inside the network</h2>\n<p>\(profiles.count) hidden neurons measured on \(data.rows) rows (\(SVGBarChart.escape(source))). "
            + "A neuron's rule says when it is active (above 0 for ReLU-like units, else above its median); its strongest inputs move it most "
            + "(mean |gradient × (input − mean)|); the maximum found is reached by gradient ascent inside the data's box.</p>\n"
        for ordinal in Array(Set(profiles.map(\.ordinal)).union(groups.map(\.ordinal))).sorted() {
            let layer = profiles.filter { $0.ordinal == ordinal }
            let layerGroups = groups.filter { $0.ordinal == ordinal }
            html += "<h3>Hidden layer \(ordinal) (\(layer.count) neurons)</h3>\n"
            // At most `pictured` neurons drawn per layer (the most variable), so a wide layer's page stays small.
            let drawn = layer.count <= pictured ? layer
                : Array(layer.enumerated().sorted { ($0.element.standardDeviation, -$0.offset) > ($1.element.standardDeviation, -$1.offset) }
                    .prefix(pictured).sorted { $0.offset < $1.offset }.map(\.element))
            if let svg = pixelMaps(drawn, groups: layerGroups, network: network, data: data, image: image) {
                if drawn.count < layer.count {
                    html += "<p>The \(pictured) neurons of the \(layer.count) that vary most over the rows (<code>\(SVGBarChart.escape(naming("pixels")))</code> draws them all).</p>\n"
                }
                html += svg
            }
            html += "<table><tr><th>neuron</th><th>mean</th><th>sd</th><th>active</th><th>rule (agreement)</th><th>strongest inputs</th><th>max on rows</th><th>max found</th></tr>\n"
            for profile in layer {
                html += "<tr>" + cell(profile.name) + cell(NumberText.significant(profile.mean, digits: 3)) + cell(NumberText.significant(profile.standardDeviation, digits: 3))
                    + cell(NumberText.percent(profile.activeShare))
                    + cell("\(NeuronReport.condition(profile.rule, schema: schema)) (\(NumberText.percent(profile.ruleAgreement)))")
                    + cell(strongest(profile.strongestInputs)) + cell(NumberText.significant(profile.maximum, digits: 4))
                    + cell(NumberText.significant(profile.maximised.activation, digits: 4)) + "</tr>\n"
            }
            html += "</table>\n"
            for found in layerGroups {
                html += "<h4>Groups of hidden layer \(ordinal)</h4>\n<p>Non-negative factorisation of \(found.rows) rows' activations"
                    + (found.shifted ? " (each unit shifted by its minimum to be non-negative)" : "") + ". Variance explained by 1 to \(found.explained.count) groups: "
                    + found.explained.map { NumberText.percent($0) }.joined(separator: ", ")
                    + ". The groups' attributions add up to the layer's within \(NumberText.percent(found.attributionGap)).</p>\n"
                html += "<table><tr><th>group</th><th>units (weight)</th><th>share of the attribution</th><th>above its median when (agreement)</th><th>strongest inputs</th></tr>\n"
                for group in found.groups {
                    html += "<tr>" + cell(group.name) + cell(group.units.map { "N\(ordinal).\($0.unit + 1) (\(NumberText.percent($0.weight)))" }.joined(separator: ", "))
                        + cell(NumberText.percent(group.attributionShare))
                        + cell("\(NeuronReport.condition(group.rule, schema: schema)) (\(NumberText.percent(group.ruleAgreement)))")
                        + cell(strongest(group.strongestInputs)) + "</tr>\n"
                }
                html += "</table>\n"
            }
        }
        return html
    }

    /// `distill neurons --report`: the section as a page.
    public static func page(_ profiles: [NeuronProfile], groups: [NeuronGroups], network: Network, data: Dataset, source: String,
                            image: ImageShape? = nil, naming: OptionNaming = .fields) -> String {
        HTMLPage.document(title: "distill neurons: \(network.name)",
                          body: section(profiles, groups: groups, network: network, data: data, source: source, image: image,
                                        naming: naming))
    }
}
