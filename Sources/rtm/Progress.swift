import Foundation
import Synchronization

/// Progress on stderr, so stdout stays the result.
///
/// On a terminal: one line rewritten in place — stage, percentage, elapsed time and an estimate
/// of the time left in the stage — at most ten times a second. Not on a terminal (a log, a pipe,
/// CI): nothing, unless `--verbose`, which prints each stage once as a line. `--quiet`: nothing.
final class Progress: Sendable {
    enum Mode { case live, lines, silent }

    private struct State { var stage = ""; var stageStart = Date(); var lastDraw = Date.distantPast; var drawn = false }
    private let mode: Mode
    private let start = Date()
    private let state = Mutex(State())

    init(quiet: Bool, verbose: Bool) {
        if quiet { mode = .silent } else if isatty(STDERR_FILENO) != 0 { mode = .live } else { mode = verbose ? .lines : .silent }
    }

    /// A plain line (used by commands with no stages of their own).
    static func line(_ message: String) {
        FileHandle.standardError.write(Data("rtm: \(message)\n".utf8))
    }

    func update(_ stage: String, _ fraction: Double?) {
        guard mode != .silent else { return }
        let now = Date()
        let text: String? = state.withLock { s in
            let newStage = stage != s.stage
            if newStage { s.stage = stage; s.stageStart = now }
            switch mode {
            case .lines:
                return newStage ? "rtm: \(stage)\n" : nil
            case .live:
                guard newStage || now.timeIntervalSince(s.lastDraw) >= 0.1 else { return nil }
                s.lastDraw = now
                s.drawn = true
                var line = "rtm: \(stage)"
                if let f = fraction, f > 0 {
                    line += String(format: "  %3.0f%%", min(f, 1) * 100)
                    let spent = now.timeIntervalSince(s.stageStart)
                    if f < 1, spent > 1 { line += "  ETA \(Self.clock(spent * (1 - f) / f))" }
                }
                line += "  \(Self.clock(now.timeIntervalSince(start))) elapsed"
                return "\r\u{1B}[K" + line
            case .silent:
                return nil
            }
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Ends the live line so the result starts on a fresh one.
    func finish() {
        let drawn = state.withLock { $0.drawn }
        if mode == .live, drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
