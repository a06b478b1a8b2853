// Times the generated Swift surrogate (compiled -O together with this file by `make bench`):
//   generated-bench ROWS.f64 FEATURE_COUNT NETWORK_NS_PER_ROW_BATCHED NETWORK_NS_PER_ROW_SINGLE
import Foundation

let arguments = CommandLine.arguments
let data = try! Data(contentsOf: URL(fileURLWithPath: arguments[1]))
let width = Int(arguments[2])!
let networkBatched = Double(arguments[3])!
let networkSingle = Double(arguments[4])!
let values: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
let rows = stride(from: 0, to: values.count, by: width).map { Array(values[$0..<($0 + width)]) }

var checksum = 0
let repeats = max(1, 2_000_000 / rows.count)
var best = Double.infinity
for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats {
        for row in rows { checksum &+= BenchSurrogate.predict(features: row) == .malignant ? 1 : 0 }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats * rows.count)
    best = min(best, elapsed)
}
print("generated Swift surrogate (breast_cancer, depth 8, -O): \(String(format: "%.2f", best)) ns per prediction (best of 5 runs of \(repeats * rows.count) predictions; checksum \(checksum))")
print("speed-up over distill's network forward pass: \(String(format: "%.0f", networkBatched / best))x against the batched pass (\(String(format: "%.0f", networkBatched)) ns per row), \(String(format: "%.0f", networkSingle / best))x against one row at a time (\(String(format: "%.0f", networkSingle)) ns)")
