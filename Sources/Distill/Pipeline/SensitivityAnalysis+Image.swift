extension SensitivityAnalysis {
    /// What a sensitivity analysis adds for a model with an image: the mean row (drawn as the image) and the
    /// occlusion map, the mean over rows of |f(row) - f(row with a patch set to the baseline)| per pixel.
    public struct ImageMaps: Sendable {
        /// Which inputs form the image, and its size.
        public var shape: ImageShape
        /// The mean of every raw input over all the rows analysed.
        public var meanRow: [Double]
        /// Per pixel (row-major, channels together), the mean |change of the output| when its patch is hidden.
        public var occlusion: [Double]
        /// Rows the occlusion map averages over, and the side of the square hidden at a time.
        public var rows: Int
        /// The side of the hidden square, in pixels.
        public var patch: Int
    }

    /// The image maps over a seeded sample of at most `options.occlusionRows` of `rows`, the patches filled
    /// with the integrated-gradients baseline (`encodedBaseline`, whose image columns are raw values).
    static func imageMaps(network: Network, shape: ImageShape, rows: Dataset, target: Int, encodedBaseline: [Double],
                          options: Options) -> ImageMaps {
        let d = network.schema.count
        var generator = SeededGenerator(seed: options.seed &+ 0x0CC1)
        let sample = rows.rows > options.occlusionRows
            ? rows.subset(Array(generator.permutation(rows.rows).prefix(options.occlusionRows)).sorted()) : rows
        var fill = [Double](repeating: 0, count: d)
        for feature in shape.inputs { fill[feature] = encodedBaseline[network.schema.offsets[feature]] }
        let maps = OcclusionMap.drops(evaluator: NetworkEvaluator(network: network), rows: sample, fill: fill, image: shape,
                                            patch: options.occlusionPatch, outputs: [Int](repeating: target, count: sample.rows))
        let n = Double(sample.rows)
        let occlusion = (0..<shape.pixelCount).map { pixel in maps.reduce(0.0) { $0 + abs($1[pixel]) } / n }
        return ImageMaps(shape: shape, meanRow: rows.columnMeans(), occlusion: occlusion, rows: sample.rows, patch: options.occlusionPatch)
    }
}
