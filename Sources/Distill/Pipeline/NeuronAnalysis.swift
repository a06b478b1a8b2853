/// `distill neurons` (and `compare --inside`): the profiles of the hidden neurons of every hidden layer, or
/// of one, over the data rows (or points drawn from the declared domain), and optionally their groups.
public struct NeuronAnalysis: Sendable {
    /// Which layers to profile, whether to find groups, and how to draw points when there is no data.
    public struct Options: Sendable {
        /// Only this hidden layer, from 1; nil: every hidden layer.
        public var layer: Int?
        /// Groups of neurons to find per layer (`NeuronGroups`); nil: none.
        public var groups: Int?
        /// Points drawn from the declared domain when there is no data.
        public var domainSamples = 2000
        /// Seed of the points drawn from the domain; 1 by default.
        public var seed: UInt64 = 1

        /// Default options: every hidden layer, no groups, 2,000 drawn points, seed 1.
        public init() {}
    }

    /// One profile per neuron of the chosen hidden layers, layer by layer.
    public var profiles: [NeuronProfile]
    /// The groups of each chosen layer; empty when `Options.groups` is nil.
    public var groups: [NeuronGroups]
    /// The rows measured on, and where they come from.
    public var rows: Dataset
    /// Where the rows come from, in words: the data path, "the data", or "drawn from the declared domain".
    public var source: String

    /// Profiles (and groups) of `network`'s hidden neurons over `data` (nil: drawn from `modelPath`'s
    /// declared domain; `dataPath` names the data in the output). A diagnostic when the network has no hidden
    /// layer or `options.layer` is past the last.
    public static func run(network: Network, modelPath: String, data: Dataset?, dataPath: String? = nil, options: Options) throws -> NeuronAnalysis {
        var generator = SeededGenerator(seed: options.seed)
        let rows = try data ?? DomainSampler(schema: network.schema, file: modelPath).sample(rows: options.domainSamples, generator: &generator)
        let hidden = NeuronProfile.hiddenLayers(of: network)
        guard !hidden.isEmpty else { throw Diagnostic(file: modelPath, "has no hidden dense layer: its inputs go straight to the outputs", failure: .usage) }
        if let layer = options.layer, layer > hidden.count || layer < 1 {
            throw Diagnostic(file: modelPath, "has \(hidden.count) hidden layer\(hidden.count == 1 ? "" : "s"); layer \(layer) is not one of them", failure: .usage)
        }
        let chosen = options.layer.map { [$0] } ?? Array(1...hidden.count)
        let profiles = chosen.flatMap { NeuronProfile.profile(network: network, layer: hidden[$0 - 1], ordinal: $0, data: rows) }
        let groups = options.groups.map { count in
            chosen.map { NeuronGroups.find(network: network, layer: hidden[$0 - 1], ordinal: $0, data: rows, count: count) }
        } ?? []
        return NeuronAnalysis(profiles: profiles, groups: groups, rows: rows,
                              source: data == nil ? "drawn from the declared domain" : dataPath ?? "the data")
    }
}
