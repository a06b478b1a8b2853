import Foundation

/// Work that many extractions of one network on the same rows share, done once by whichever asks first:
/// the prepared rows, the fitting and validation points drawn and labelled by the network (with the
/// kernel scale chosen for them), and the domain-fidelity points. `compare` fits about 70 surrogates of
/// one network; without it each would load the rows and label some 200,000 drawn points again.
///
/// Valid for one network and one `TrainingData.Options`; an extraction asks for the shared fitter only
/// when its sampling settings match (`SamplingKey`), so sharing never changes a result.
final class ExtractionCache: @unchecked Sendable {
    let network: Network
    let dataOptions: TrainingData.Options
    private let data = ComputedOnce<Int, Result<TrainingData, Error>>()
    private let fitters = ComputedOnce<SamplingKey, Result<SurrogateFitter, Error>>()
    private let domains = ComputedOnce<SamplingKey, Result<DomainSample, Error>>()

    init(network: Network, data: TrainingData.Options) {
        self.network = network
        self.dataOptions = data
    }

    /// What a fitter's drawn points depend on besides the network and the rows.
    struct SamplingKey: Hashable {
        var oraclePoints: Int
        var rulePoints: Int
        var validationPoints: Int
        var domainPoints: Int
        var scalesOraclePoints: Bool
        var scalesRulePoints: Bool
        var sampler: OracleSampler
        var kernelScale: Double?
        var seed: UInt64

        init(_ options: Extraction.Options) {
            oraclePoints = options.oraclePoints
            rulePoints = options.rulePoints
            validationPoints = options.validationPoints
            domainPoints = options.domainPoints
            scalesOraclePoints = options.scalesOraclePoints
            scalesRulePoints = options.scalesRulePoints
            sampler = options.sampler
            kernelScale = options.kernelScale
            seed = options.data.seed
        }
    }

    /// Whether an extraction of `network` with `options` may use this cache.
    func serves(_ network: Network, _ options: Extraction.Options) -> Bool {
        network == self.network && options.data == dataOptions
    }

    /// The prepared rows.
    func trainingData(modelPath: String) throws -> TrainingData {
        try data.value(0) { Result { try TrainingData.prepare(network: network, modelPath: modelPath, options: dataOptions) } }.get()
    }

    /// A fitter for `options`: the shared one's drawn points with `options`' settings. The oracle tree
    /// draws its own points and reads neither the fitting nor the validation points, so it shares too.
    func fitter(options: Extraction.Options, data: TrainingData, modelPath: String) throws -> SurrogateFitter {
        var sampling = options
        if sampling.kind == .oracleTree { sampling.kind = .tree }
        let shared = try fitters.value(SamplingKey(options)) {
            Result { try SurrogateFitter(network: network, data: data, options: sampling, modelPath: modelPath) }
        }.get()
        return shared.with(options)
    }

    /// The domain-fidelity points of `options`, drawn from `distribution` and labelled by the network.
    func domainPoints(options: Extraction.Options, distribution: InputDistribution, data: TrainingData,
                      modelPath: String) throws -> DomainSample {
        try domains.value(SamplingKey(options)) {
            Result { try Extraction.domainSample(options: options, network: network, distribution: distribution, data: data, modelPath: modelPath) }
        }.get()
    }
}
