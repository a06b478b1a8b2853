// libFuzzer harnesses for distill's front ends (make fuzz). Built only with DISTILL_FUZZ set and
// `-sanitize=fuzzer,address`: main hands its arguments to libFuzzer's driver, which calls `fuzzOneInput`
// with each input. `DISTILL_FUZZ_TARGET` picks the front end:
//   model      the model decoder (native JSON, plain and packed arrays, TF.js Layers documents)
//   surrogate  the saved-surrogate decoder
//   csv        the data reader (the fast path and the general path must agree)
//   onnx       the ONNX importer
// A thrown Diagnostic is a correct answer to a bad input; a trap, a sanitizer report, a hang or a broken
// property (below) is a finding.
import Foundation
import Distill
import CFuzzerDriver

/// The front end under test, read once.
private let target = ProcessInfo.processInfo.environment["DISTILL_FUZZ_TARGET"] ?? "model"

/// The network the CSV harness reads data for: the penguins sample (numeric and categorical inputs,
/// three classes), so class names, categories, missing values and every number form are exercised.
private let csvNetwork: Network = {
    let path = ProcessInfo.processInfo.environment["DISTILL_FUZZ_CSV_MODEL"] ?? "samples/penguins/model.json"
    do { return try ModelDecoder.load(path: path) } catch { fatalError("DISTILL_FUZZ_CSV_MODEL: \(error)") }
}()

/// One input through the front end `target` names.
private func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch target {
    case "model": FuzzProperties.model(bytes)
    case "surrogate": FuzzProperties.surrogate(bytes)
    case "csv": FuzzProperties.csv(bytes, network: csvNetwork)
    case "onnx": FuzzProperties.onnx(bytes)
    default: fatalError("DISTILL_FUZZ_TARGET must be model, surrogate, csv or onnx")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
