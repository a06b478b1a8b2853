@testable import Distill
import Foundation

/// Compiles generated Swift and C surrogates into one program each, runs them on rows and reads back
/// their answers, one line per row: the class index and the probabilities' bit patterns, or the outputs'
/// bit patterns for regression.
struct GeneratedCodeHarness {
    struct Entry {
        var name: String
        var surrogate: GeneratedSurrogate
        /// Rows for `predict(features:)` (may hold NaN and invalid categories).
        var rows: [Double]
        /// Whether to also run `predict(_ input:)` on the same rows (valid rows only).
        var viaInput: Bool
    }

    var entries: [Entry] = []
    let directory: URL

    init() throws {
        directory = try Fixtures.temporaryDirectory()
    }

    /// Expected answer lines, computed in-process by distill's own surrogate (not the generator's tables).
    static func expectedLines(_ surrogate: Surrogate, rows: [Double]) -> [String] {
        let width = surrogate.schema.count
        let count = rows.count / width
        switch surrogate {
        case let .tree(tree):
            return rows.withUnsafeBufferPointer { buffer in
                (0..<count).map { row in
                    let point = UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)])
                    let leaf = tree.leaf(for: point)
                    return tree.task == .classification
                        ? "\(tree.predictedClass(leaf: leaf)) " + tree.probabilities(leaf: leaf).map(bits).joined(separator: " ")
                        : tree.values(of: leaf, at: point).map(bits).joined(separator: " ")
                }
            }
        case let .rules(list):
            return list.outcomes(raw: rows, rows: count).map { outcome in
                "\(list.predictedClass(outcome: outcome)) " + list.probabilities(outcome: outcome).map(bits).joined(separator: " ")
            }
        case let .sum(sum):
            return rows.withUnsafeBufferPointer { buffer in
                (0..<count).map { row in
                    let scores = sum.scores(for: UnsafeBufferPointer(rebasing: buffer[(row * width)..<((row + 1) * width)]))
                    return sum.task == .classification
                        ? "\(sum.predictedClass(scores: scores)) " + sum.probabilities(scores: scores).map(bits).joined(separator: " ")
                        : scores.map(bits).joined(separator: " ")
                }
            }
        }
    }

    static func bits(_ value: Double) -> String { String(value.bitPattern, radix: 16) }

    /// Compiles and runs every entry's Swift code; returns output lines per entry name (and name + "/input").
    func runSwift() throws -> [String: [String]] {
        var sources: [String] = []
        var main = "import Foundation\n\nlet arguments = CommandLine.arguments\n"
        main += "let data = try! Data(contentsOf: URL(fileURLWithPath: arguments[2]))\n"
        main += "let values: [Double] = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }\n"
        main += "let width = Int(arguments[3])!\n"
        main += "let rows = stride(from: 0, to: values.count, by: width).map { Array(values[$0..<($0 + width)]) }\n"
        main += "func bits(_ value: Double) -> String { String(value.bitPattern, radix: 16) }\n"
        main += "switch arguments[1] {\n"
        for (index, entry) in entries.enumerated() {
            let file = directory.appendingPathComponent("Surrogate\(index).swift")
            try SwiftSourceEmitter.render(entry.surrogate).write(to: file, atomically: true, encoding: .utf8)
            sources.append(file.path)
            main += swiftCase(entry, viaInput: false)
            if entry.viaInput { main += swiftCase(entry, viaInput: true) }
        }
        main += "default: fatalError(\"unknown surrogate\")\n}\n"
        let mainFile = directory.appendingPathComponent("main.swift")
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
        let program = directory.appendingPathComponent("swift-harness").path
        // One frontend for all files (-wmo): about 60% of the CPU time of a file-by-file build of this many.
        try Self.execute("/usr/bin/env", ["swiftc", "-swift-version", "6", "-warnings-as-errors", "-wmo", "-o", program] + sources + [mainFile.path])
        return try runAll(program, includeInput: true)
    }

    private func swiftCase(_ entry: Entry, viaInput: Bool) -> String {
        let generated = entry.surrogate
        let names = GeneratedNames(generated)
        let type = names.typeName
        var argument = "features: row"
        if viaInput {
            let fields = generated.schema.features.indices.map { index -> String in
                let label = names.properties[index]  // argument labels need no backticks
                if let enumType = names.enumTypes[index] { return "\(label): \(type).\(enumType).allCases[Int(row[\(index)])]" }
                return "\(label): row[\(index)]"
            }
            argument = "\(type).Input(\(fields.joined(separator: ", ")))"
        }
        var text = "case \"\(entry.name)\(viaInput ? "/input" : "")\":\n    for row in rows {\n"
        if generated.task == .classification {
            text += "        let predicted = \(type).predict(\(argument))\n"
            text += "        let shares = \(type).probabilities(\(argument))\n"
            text += "        let index = \(type).Class.allCases.firstIndex(of: predicted)!\n"
            text += "        print(\"\\(index) \" + \(type).Class.allCases.map { bits(shares[$0]!) }.joined(separator: \" \"))\n"
        } else if generated.outputs.count == 1 {
            text += "        print(bits(\(type).predict(\(argument))))\n"
        } else {
            text += "        print(\(type).predict(\(argument)).map(bits).joined(separator: \" \"))\n"
        }
        return text + "    }\n"
    }

    /// Compiles and runs every entry's C header with gcc; returns output lines per entry name.
    func runC() throws -> [String: [String]] {
        var main = "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
        var cases = ""
        for (index, entry) in entries.enumerated() {
            let header = directory.appendingPathComponent("surrogate\(index).h")
            try CHeaderEmitter.render(entry.surrogate).write(to: header, atomically: true, encoding: .utf8)
            main += "#include \"surrogate\(index).h\"\n"
            let generated = entry.surrogate
            let prefix = CHeaderEmitter.snakeCase(GeneratedNames(generated).typeName)
            cases += "    if (strcmp(argv[1], \"\(entry.name)\") == 0) {\n"
            if generated.task == .classification {
                let count = generated.outputs.count
                cases += "        for (r = 0; r < rows; r++) { double p[\(count)]; int c = \(prefix)_predict(x + r * width); \(prefix)_probabilities(x + r * width, p);\n"
                cases += "            printf(\"%d\", c); for (k = 0; k < \(count); k++) print_bits(p[k]); printf(\"\\n\"); }\n"
            } else {
                let count = generated.outputs.count
                cases += "        for (r = 0; r < rows; r++) { double v[\(count)]; \(prefix)_predict(x + r * width, v);\n"
                cases += "            for (k = 0; k < \(count); k++) { if (k) printf(\" \"); print_bits_plain(v[k]); } printf(\"\\n\"); }\n"
            }
            cases += "        return 0;\n    }\n"
        }
        main += """
        static void print_bits_plain(double v) { unsigned long long b; memcpy(&b, &v, sizeof b); printf("%llx", b); }
        static void print_bits(double v) { printf(" "); print_bits_plain(v); }
        int main(int argc, char **argv) {
            FILE *f = fopen(argv[2], "rb"); long width = atol(argv[3]); long rows, r; int k;
            double *x; long bytes;
            if (argc < 4 || !f) return 2;
            fseek(f, 0, SEEK_END); bytes = ftell(f); fseek(f, 0, SEEK_SET);
            x = malloc((size_t)bytes); if (fread(x, 1, (size_t)bytes, f) != (size_t)bytes) return 2;
            rows = bytes / (long)sizeof(double) / width;
        \(cases)    return 1;
        }

        """
        let mainFile = directory.appendingPathComponent("main.c")
        try main.write(to: mainFile, atomically: true, encoding: .utf8)
        let program = directory.appendingPathComponent("c-harness").path
        try Self.execute("/usr/bin/env", ["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", program, mainFile.path])
        return try runAll(program, includeInput: false)
    }

    private func runAll(_ program: String, includeInput: Bool) throws -> [String: [String]] {
        var results: [String: [String]] = [:]
        for entry in entries {
            let width = entry.surrogate.schema.count
            let file = directory.appendingPathComponent("\(URL(fileURLWithPath: program).lastPathComponent)-\(entry.name.replacingOccurrences(of: "/", with: "_")).f64")
            try entry.rows.withUnsafeBytes { try Data($0).write(to: file) }
            results[entry.name] = try Self.execute(program, [entry.name, file.path, String(width)]).split(separator: "\n").map(String.init)
            if includeInput && entry.viaInput {
                results[entry.name + "/input"] = try Self.execute(program, [entry.name + "/input", file.path, String(width)])
                    .split(separator: "\n").map(String.init)
            }
        }
        return results
    }

    /// Runs a program, returning its standard output; throws with its error output when it fails.
    @discardableResult
    static func execute(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Diagnostic("\(arguments.first ?? executable) failed (\(process.terminationStatus)):\n" + String(decoding: errorData, as: UTF8.self).prefix(4000))
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}
