import Foundation

extension InputDistribution {
    /// Rows per block of `samplePerturbedInBlocks`.
    static let drawBlock = 4096

    /// Whether draws copying rows take `samplePerturbedInBlocks`: more continuous features than the joint
    /// kernel takes (`JointKernel.maxFeatures`), where drawing on one thread took as long as labelling
    /// the points (784 pixels: 2.3 s of 100,000 draws against 0.6 s of labelling them).
    var drawsInBlocks: Bool {
        frequencies.lazy.filter(\.isEmpty).count > JointKernel.maxFeatures
    }

    /// `count` copies of `rows` (row-major) moved as `samplePerturbed` moves them over the whole domain
    /// (each continuous value by its kernel's noise times `spread`, drawn again up to 8 times while it
    /// falls outside the range, then left as it was), drawn in blocks of `drawBlock` rows side by side:
    /// block b from its own stream (`seed` and b mixed by SplitMix64), every normal value from the
    /// ziggurat (`ZigguratNormals`). The draws do not depend on the thread count. With `blocks`, only the
    /// points of those blocks of the `count` (a piece of the same draw, `DomainSample`).
    func samplePerturbedInBlocks(_ count: Int, rows: [Double], spread: Double, seed: UInt64, blocks only: Range<Int>? = nil) -> [Double] {
        let width = schema.count
        let available = width == 0 ? 0 : rows.count / width
        guard available > 0, count > 0 else {
            precondition(only == nil, "a draw in pieces needs rows to copy")
            var generator = SeededGenerator(seed: seed)
            return samplePerturbed(count, in: Region(schema: schema), rows: rows, spread: spread, generator: &generator)
        }
        let whole = Region(schema: schema)
        let limits = (0..<width).map { interval($0, in: whole) }
        let noise = bandwidths.map { spread * $0 }
        let copied = frequencies.map { !$0.isEmpty }
        let allBlocks = 0..<((count + Self.drawBlock - 1) / Self.drawBlock)
        let blocks = (only ?? allBlocks).clamped(to: allBlocks)
        let first = min(count, blocks.lowerBound * Self.drawBlock), end = min(count, blocks.upperBound * Self.drawBlock)
        var result = [Double](repeating: 0, count: (end - first) * width)
        guard end > first else { return result }
        result.withUnsafeMutableBufferPointer { result in
            let output = UncheckedBox(result.baseAddress!)
            rows.withUnsafeBufferPointer { rows in
                Parallelism.forEach(pieces: blocks.count) { piece, _ in
                    let block = blocks.lowerBound + piece
                    var mixer = SeededGenerator(seed: seed &+ UInt64(block) &* 0xD6E8_FEB8_6659_FD93)
                    var normals = ZigguratNormals(generator: SeededGenerator(seed: mixer.next()))
                    for draw in (block * Self.drawBlock)..<min(count, (block + 1) * Self.drawBlock) {
                        let base = normals.generator.nextInt(below: available) * width
                        let out = output.value + (draw - first) * width
                        for feature in 0..<width {
                            let value = rows[base + feature]
                            out[feature] = value
                            guard !copied[feature] else { continue }
                            let (lo, hi) = limits[feature]
                            for _ in 0..<8 {
                                let candidate = value + noise[feature] * normals.next()
                                if candidate > lo && candidate <= hi {
                                    out[feature] = candidate
                                    break
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
