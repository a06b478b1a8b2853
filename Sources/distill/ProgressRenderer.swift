import Distill
import Foundation

/// Draws the library's progress (`Progress`) on standard error: on a terminal one line per stage with a
/// bar, the rate and the time left, redrawn in place at most ten times a second; off a terminal (CI,
/// pipes) nothing, unless `--progress` asks for plain lines (the start, every tenth and the end of a
/// stage); `--quiet` silences both.
final class ProgressRenderer: @unchecked Sendable {
    enum Mode {
        case terminal, lines
    }

    private let mode: Mode
    private let lock = NSLock()
    /// The stage whose line is drawn and not yet ended, and when it was drawn.
    private var active: String?
    private var lastDraw = 0.0
    /// Plain lines: the last tenth printed per stage.
    private var printedTenth: [String: Int] = [:]

    init(mode: Mode) {
        self.mode = mode
    }

    /// The renderer `--progress` and `--quiet` ask for, given whether standard error is a terminal; nil
    /// for none.
    static func chosen(progress: Bool, quiet: Bool, terminal: Bool = isatty(STDERR_FILENO) == 1) -> ProgressRenderer? {
        if quiet { return nil }
        if terminal { return ProgressRenderer(mode: .terminal) }
        return progress ? ProgressRenderer(mode: .lines) : nil
    }

    func receive(_ update: ProgressUpdate) {
        lock.withLock {
            switch mode {
            case .terminal: drawLine(update)
            case .lines: printLine(update)
            }
        }
    }

    /// Ends a line left open by a stage that never finished (an error ended the run).
    func close() {
        lock.withLock {
            if active != nil, mode == .terminal { write("\n") }
            active = nil
        }
    }

    private func drawLine(_ update: ProgressUpdate) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if active == update.stage, !update.finished, now - lastDraw < 0.1 { return }
        var text = active != nil && active != update.stage ? "\n" : "\r"
        let share = Double(update.done) / Double(update.total)
        let filled = Int((share * 24).rounded(.down))
        text += "\u{1B}[2K\(update.stage) [\(String(repeating: "#", count: filled))\(String(repeating: "-", count: 24 - filled))] "
        text += "\(Int((share * 100).rounded(.down)))% \(Self.figures(update))"
        if update.finished {
            write(text + "\n")
            active = nil
        } else {
            write(text)
            active = update.stage
        }
        lastDraw = now
    }

    private func printLine(_ update: ProgressUpdate) {
        let tenth = update.finished ? 10 : update.done * 10 / update.total
        if tenth == 10, !update.finished { return }
        if let printed = printedTenth[update.stage], printed >= tenth, !update.finished { return }
        printedTenth[update.stage] = update.finished ? nil : tenth
        let share = Int((Double(update.done) / Double(update.total) * 100).rounded(.down))
        write("distill: \(update.stage): \(share)% \(Self.figures(update))\n")
    }

    /// "900/2000 rows, 310 rows/s, 3 s left", or at the end "2000 rows in 6.5 s".
    static func figures(_ update: ProgressUpdate) -> String {
        let seconds = ProgressUpdate.durationText(update.seconds)
        if update.finished { return "\(update.done)/\(update.total) \(update.unit) in \(seconds)" }
        var text = "\(update.done)/\(update.total) \(update.unit), \(seconds)"
        if update.done > 0, update.seconds > 0.2 {
            let rate = Double(update.done) / update.seconds
            text += ", \(rate >= 10 ? String(Int(rate.rounded())) : String(format: "%.2g", rate)) \(update.unit)/s"
            text += ", \(ProgressUpdate.durationText(Double(update.total - update.done) / rate)) left"
        }
        return text
    }

    private func write(_ text: String) {
        try? OutputFiles.write(text, to: STDERR_FILENO, path: "standard error")
    }
}
