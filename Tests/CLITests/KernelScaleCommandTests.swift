import Foundation
import Testing

/// `--kernel-scale`: the drawn points' kernel width given instead of chosen.
struct KernelScaleCommandTests {
    static let iris = ["samples/iris/model.json", "--data", "samples/iris/train.csv", "--test", "samples/iris/test.csv",
                       "--oracle-points", "5000", "--validation-points", "2000", "--domain-points", "5000"]

    /// Lines of a listing but its settings and command lines, which name the flags given.
    static func body(_ listing: String) -> [Substring] {
        listing.split(separator: "\n").filter { !$0.hasPrefix("# settings:") && !$0.hasPrefix("# command:") }
    }

    @Test func aScaleGivenIsUsedAndListed() throws {
        // Iris's rows choose the full width (KernelScaleTests), so giving 1 fits the same surrogate on the
        // same draws; 1/4 draws other points, and the domain fidelity is measured on other points too.
        let chosen = try CommandRunner.run(Self.iris)
        let full = try CommandRunner.run(Self.iris + ["--kernel-scale", "1"])
        let narrow = try CommandRunner.run(Self.iris + ["--kernel-scale", "0.25"])
        #expect(chosen.status == 0 && full.status == 0 && narrow.status == 0, "\(narrow.standardError)")
        #expect(Self.body(full.standardOutput) == Self.body(chosen.standardOutput))
        #expect(full.standardOutput.contains("# settings: --kernel-scale 1 "), "\(full.standardOutput)")
        #expect(narrow.standardOutput.contains("# settings: --kernel-scale 0.25 "))
        #expect(!chosen.standardOutput.contains("--kernel-scale"))
        let domain = { (text: String) in text.split(separator: "\n").first { $0.hasPrefix("# domain fidelity") } }
        #expect(domain(narrow.standardOutput) != nil && domain(narrow.standardOutput) != domain(chosen.standardOutput))
        // The JSON result says which scale was used, given or chosen.
        let directory = try CommandRunner.temporaryDirectory()
        for (arguments, expected) in [([String](), 1.0), (["--kernel-scale", "0.25"], 0.25)] {
            let path = directory.appendingPathComponent("result.json").path
            let run = try CommandRunner.run(Self.iris + arguments + ["--json", path])
            #expect(run.status == 0)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("\"kernel_scale\": \(expected == 1 ? "1" : "0.25"),"), "\(text)")
        }
        // A scale given is not chosen, so the dry run counts no draws for the choice.
        let dryChosen = try CommandRunner.run(Self.iris + ["--dry-run"])
        let dryGiven = try CommandRunner.run(Self.iris + ["--kernel-scale", "0.5", "--dry-run"])
        #expect(dryChosen.standardOutput.contains("  kernel scale: 32000 drawn points labelled (4 scales x 4 halvings x 2 halves x 1000)\n"),
                "\(dryChosen.standardOutput)")
        #expect(dryGiven.status == 0 && !dryGiven.standardOutput.contains("kernel scale:"))
        let auto = try CommandRunner.run(Self.iris + ["--kernel-scale", "auto"])
        // `auto` is the default: only the command line differs.
        #expect(auto.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("# command:") }
                == chosen.standardOutput.split(separator: "\n").filter { !$0.hasPrefix("# command:") })
    }

    @Test func aScaleMustBeAPositiveNumberOrAuto() throws {
        let marginals = try CommandRunner.run(Self.iris + ["--kernel-scale", "0.5", "--oracle-sampler", "marginals"])
        #expect(marginals.status == 64 && marginals.standardError.contains("--kernel-scale sets the kernel around rows"))
        for value in ["0", "=-1", "abc", "nan", "11"] {
            let arguments = value.hasPrefix("=") ? Self.iris + ["--kernel-scale" + value] : Self.iris + ["--kernel-scale", value]
            let run = try CommandRunner.run(arguments)
            #expect(run.status == 64, "\(value)")
            #expect(run.standardError.contains("--kernel-scale expects auto or a number above 0 and at most 10, found '\(value.hasPrefix("=") ? String(value.dropFirst()) : value)'"),
                    "\(run.standardError)")
        }
    }
}
