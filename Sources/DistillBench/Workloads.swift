import Distill
import Foundation

// The performance workloads (DistillBench MODE ...), timed through the library's public entry points on
// files that Benchmarks/performance.py generates, so that its peers run on the very same work. Each mode
// prints one JSON object: the median seconds over the repeats and what is needed to check the result.

/// Options of a workload mode: `--name value` pairs after the mode's positional arguments.
struct WorkloadArguments {
    var positional: [String] = []
    var options: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if argument.hasPrefix("--") {
                options[String(argument.dropFirst(2))] = iterator.next() ?? ""
            } else {
                positional.append(argument)
            }
        }
    }

    func integer(_ name: String, default value: Int) -> Int { options[name].flatMap(Int.init) ?? value }
}

/// Little-endian float64 values of a file, read straight into the array (one copy in memory).
func readDoubles(_ path: String) throws -> [Double] {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
    defer { try? handle.close() }
    let size = Int(try handle.seekToEnd())
    try handle.seek(toOffset: 0)
    return [Double](unsafeUninitializedCapacity: size / 8) { buffer, initialized in
        var filled = 0
        let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
        while filled < size {
            let count = read(handle.fileDescriptor, raw + filled, size - filled)
            if count <= 0 { break }
            filled += count
        }
        initialized = filled / 8
    }
}

/// Little-endian int32 values of a file.
func readInt32s(_ path: String) throws -> [Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { $0.bindMemory(to: Int32.self).map(Int.init) }
}

func writeDoubles(_ values: [Double], to path: String) throws {
    try values.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: path)) }
}

/// Runs `body` `repeats` times and returns the median seconds.
func medianSeconds(repeats: Int, _ body: () throws -> Void) rethrows -> (median: Double, all: [Double]) {
    var times: [Double] = []
    for _ in 0..<max(repeats, 1) {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return (median(times), times)
}

/// Peak resident set size of the process so far, in bytes (Linux: VmHWM of /proc/self/status).
func peakResidentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
        return kilobytes * 1024
    }
    return 0
}

func printJSON(_ fields: [(String, String)]) {
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
}

/// `forward MODEL ROWS.f64 [--repeats R] [--threads T] [--kernel blas|reference] [--answer classes|values] [--out OUT.f64]`:
/// `NetworkEvaluator.evaluate` on the rows (row-major, one value per raw feature); with `--answer
/// classes` `predictedClasses` (written as float64 class indices), with `--answer values` `drawnOutputs`.
func forwardWorkload(_ arguments: WorkloadArguments) throws {
    let network = try ModelDecoder.load(path: arguments.positional[0])
    let raw = try readDoubles(arguments.positional[1])
    let rows = raw.count / network.schema.count
    var evaluator = NetworkEvaluator(network: network)
    if let threads = arguments.options["threads"].flatMap(Int.init) { evaluator.threads = threads }
    if let block = arguments.options["block"].flatMap(Int.init) { evaluator.chunkRows = block }
    if let kernel = arguments.options["kernel"].flatMap(DenseKernel.init(rawValue:)) { evaluator.kernel = kernel }
    var output = NetworkOutput(rows: 0, width: 0, values: [])
    let answer = arguments.options["answer"]
    let time = medianSeconds(repeats: arguments.integer("repeats", default: 3)) {
        switch answer {
        case "classes": output = NetworkOutput(rows: rows, width: 1, values: evaluator.predictedClasses(raw: raw, rows: rows).map(Double.init))
        case "values": output = evaluator.drawnOutputs(raw: raw, rows: rows)
        default: output = evaluator.evaluate(raw: raw, rows: rows)
        }
    }
    if let path = arguments.options["out"] { try writeDoubles(output.values, to: path) }
    printJSON([("seconds", "\(time.median)"), ("runs", "\(time.all)"), ("rows", "\(rows)"),
               ("threads", "\(evaluator.threads)"), ("block_rows", "\(evaluator.chunkRows)"),
               ("blas", "\"\(DenseKernel.blasLibrary ?? "none")\""), ("peak_rss", "\(peakResidentBytes())")])
}

/// `tree ROWS.f64 LABELS.i32 --features F [--depth D] [--leaves L] [--search auto|exact|histogram]
/// [--repeats R] [--threads T]`: `TreeBuilder.fit` on the rows (row-major, F continuous features) and
/// class labels; prints the fit time, the leaf count and the training accuracy.
func treeWorkload(_ arguments: WorkloadArguments) throws {
    let featureCount = arguments.integer("features", default: 30)
    let values = try readDoubles(arguments.positional[0])
    let labels = try readInt32s(arguments.positional[1])
    let rows = labels.count
    let schema = FeatureSchema(features: (0..<featureCount).map { Feature(name: "x\($0)", kind: .continuous(min: nil, max: nil)) })
    let data = Dataset(schema: schema, rows: rows, values: values)
    let classCount = (labels.max() ?? 0) + 1
    if let threads = arguments.options["threads"].flatMap(Int.init) { Parallelism.setThreads(threads) }
    var settings = TreeSettings(maxDepth: arguments.options["depth"].flatMap(Int.init),
                                maxLeaves: arguments.options["leaves"].flatMap(Int.init))
    if let search = arguments.options["search"].flatMap(SplitSearch.init(rawValue:)) { settings.splitSearch = search }
    var tree: DecisionTree?
    let time = medianSeconds(repeats: arguments.integer("repeats", default: 3)) {
        tree = TreeBuilder(settings: settings).fit(data, target: .classes(labels, classCount: classCount),
                                                   outputs: (0..<classCount).map { "c\($0)" })
    }
    let accuracy = Agreement.share(tree!.predictClasses(raw: values, rows: rows), labels)
    printJSON([("seconds", "\(time.median)"), ("runs", "\(time.all)"), ("rows", "\(rows)"), ("leaves", "\(tree!.leafCount)"),
               ("accuracy", "\(accuracy)"), ("threads", "\(Parallelism.threads)"), ("peak_rss", "\(peakResidentBytes())")])
}

/// `load MODEL [--repeats R]`: `ModelDecoder.load`; prints the time and the process's peak RSS.
func loadWorkload(_ arguments: WorkloadArguments) throws {
    let path = arguments.positional[0]
    var parameters = 0
    _ = try ModelDecoder.load(path: path)
    let time = try medianSeconds(repeats: arguments.integer("repeats", default: 3)) {
        parameters = try ModelDecoder.load(path: path).parameterCount
    }
    printJSON([("seconds", "\(time.median)"), ("runs", "\(time.all)"), ("parameters", "\(parameters)"),
               ("peak_rss", "\(peakResidentBytes())")])
}

/// `csv MODEL DATA.csv [--repeats R] [--out OUT.f64]`: `DatasetLoader.load` (no label column); prints the
/// time, the row count and the peak RSS, and writes the values for the peer's check.
func csvWorkload(_ arguments: WorkloadArguments) throws {
    let network = try ModelDecoder.load(path: arguments.positional[0])
    var data: Dataset?
    let time = try medianSeconds(repeats: arguments.integer("repeats", default: 3)) {
        data = nil
        data = try DatasetLoader.load(path: arguments.positional[1], network: network, label: nil)
    }
    if let path = arguments.options["out"] { try writeDoubles(data!.values, to: path) }
    printJSON([("seconds", "\(time.median)"), ("runs", "\(time.all)"), ("rows", "\(data!.rows)"),
               ("peak_rss", "\(peakResidentBytes())")])
}

/// `kernel-scales MODEL TRAIN.csv [--seeds N] [--points P]`: per seed 1...N, each kernel scale's score
/// (`InputDistribution.kernelScaleScores`) and the scale `choosingKernelScale` keeps.
func kernelScaleWorkload(_ arguments: WorkloadArguments) throws {
    let network = try ModelDecoder.load(path: arguments.positional[0])
    let train = try DatasetLoader.load(path: arguments.positional[1], network: network, label: nil)
    let distribution = InputDistribution(data: train)
    let points = arguments.integer("points", default: InputDistribution.kernelScalePoints)
    for seed in 1...arguments.integer("seeds", default: 10) {
        let start = Date()
        let scores = distribution.kernelScaleScores(network: network, rows: train, seed: UInt64(seed), pointsPerHalf: points)
        let seconds = Date().timeIntervalSince(start)
        guard !scores.isEmpty else { print("seed \(seed): too few rows to choose"); continue }
        let chosen = scores[InputDistribution.chosenScale(scores)].scale
        let cells = scores.map { String(format: "%.4f(+%.4f±%.4f)", $0.meanError, $0.excess, $0.excessError) }
        print("seed \(seed) chosen \(chosen) rounds \(scores[0].rounds) " + cells.joined(separator: " ")
              + String(format: " %.2fs", seconds))
    }
}
