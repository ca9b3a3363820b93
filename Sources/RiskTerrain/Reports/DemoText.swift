import Foundation

/// `rtm demo`'s closing table: the sample's true relative risk values beside the recovered ones.
public enum DemoText {
    public static func truthTable(_ r: Pipeline.Result) -> String {
        let fitted = Dictionary(r.model.terms.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var lines = ["", "true model (data/truth.json) against the fitted one:",
                     "  " + pad("term", 34) + "    true   fitted  95% CI"]
        var named = Set<String>()
        for t in SampleBorough.trueTerms {
            let name = "\(t.factor):\(t.influence)" + (t.distanceM.map { ":\(Int($0))" } ?? "")
            named.insert(name)
            if let f = fitted[name] {
                let inside = f.rrvCiLow <= t.rrv && t.rrv <= f.rrvCiHigh ? "CI holds the truth" : "CI misses the truth"
                lines.append("  " + pad(name, 34) + String(format: " %8.3f %8.3f  %.3f–%.3f  ", t.rrv, f.rrv, f.rrvCiLow, f.rrvCiHigh) + inside)
            } else {
                lines.append("  " + pad(name, 34) + String(format: " %8.3f        —  not selected", t.rrv))
            }
        }
        for f in r.model.terms where !named.contains(f.name) {
            lines.append("  " + pad(f.name, 34) + String(format: "        — %8.3f  %.3f–%.3f  selected, not in the truth", f.rrv, f.rrvCiLow, f.rrvCiHigh))
        }
        lines.append("  (a 95% interval misses the truth about one time in twenty, a little more often after a stepwise search)")
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}
