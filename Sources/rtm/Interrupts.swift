import Dispatch
import Foundation
import RiskTerrain

/// SIGINT (Ctrl-C) and SIGTERM end a run cleanly: the staging folders of the outputs being
/// written are removed, the output folder's `runs.jsonl` records the interruption, the previous
/// outputs stay as they were, and rtm exits 130 or 143 (128 + the signal), as shells expect.
///
/// The signals are taken from their default action and handled by dispatch sources, so the
/// cleanup runs on an ordinary thread, not inside the signal handler where almost nothing is safe.
enum Interrupts {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for (sig, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global(qos: .userInitiated))
            source.setEventHandler {
                let folders = OutputFolder.abandonAll(reason: "interrupted by \(name)")
                let kept = folders.isEmpty ? "" : " — the previous outputs in \(folders.joined(separator: ", ")) are as they were"
                FileHandle.standardError.write(Data("\nrtm: interrupted by \(name)\(kept)\n".utf8))
                _exit(128 + sig)
            }
            source.resume()
            sources.append(source)
        }
    }
}
