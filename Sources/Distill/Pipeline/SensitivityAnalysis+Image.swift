extension SensitivityAnalysis {
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
