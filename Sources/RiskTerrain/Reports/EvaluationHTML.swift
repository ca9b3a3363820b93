import Foundation

/// The out-of-sample evaluation in HTML: a section of `report.html` (`rtm run --evaluate`,
/// `rtm demo`) and the page `evaluation.html` that `rtm evaluate` writes beside its JSON.
public enum EvaluationHTML {
    public static func section(_ r: EvaluationStage.Result) -> String {
        var h = "<h2>Out-of-sample evaluation</h2>\n"
        h += "<p>The model was refitted on \(esc(r.trainWindow)) (\(r.trainEvents) events) and tested on where the \(r.testEvents) events of "
        h += "\(esc(r.testWindow)) happened. Cells are ranked by each method's score; the curve shows the share of test events "
        h += String(format: "captured against the share of area searched. Metrics at %.0f%% of the area (%d cells): ", r.areaShare * 100, r.hotspotCells)
        h += "PAI = hit rate ÷ area share (1 = no better than chance), PEI = PAI ÷ the best PAI possible at that area, "
        h += "RRI = PAI on the test events ÷ PAI on the training events (1 = as good out of sample as in sample).</p>\n"
        h += "<table><tr><th>method</th><th>hit rate</th><th>PAI</th><th>PEI</th><th>RRI</th><th>AUC</th></tr>\n"
        for m in r.methods {
            h += "<tr><td>\(esc(methodName(m.name)))</td>" + cells([String(format: "%.1f%%", m.hitRate * 100), String(format: "%.2f", m.pai),
                String(format: "%.2f", m.pei), m.rri.map { String(format: "%.2f", $0) } ?? "—", String(format: "%.3f", m.auc)]) + "</tr>\n"
        }
        h += "</table>\n" + EvaluationStage.curvesSVG(r)
        if let roll = r.rolling {
            h += "<h3>Rolling-origin backtests</h3>\n<p>\(roll.splits.count) splits, each trained on "
            h += roll.expanding ? "every month before its origin" : "\(roll.trainMonths) months"
            h += " and tested on the \(roll.testMonths == 1 ? "month" : "\(roll.testMonths) months") that follow, the origin moving "
            h += "\(roll.stepMonths) month\(roll.stepMonths == 1 ? "" : "s") at a time; the model is refitted for every split. "
            h += "Mean ± SD over the splits: the spread says how much one window's figures can be trusted.</p>\n"
            h += "<table><tr><th>method</th><th>hit rate</th><th>PAI</th><th>PEI</th><th>AUC</th>"
            h += roll.splits.map { "<th>PAI \(esc($0.test))</th>" }.joined() + "</tr>\n"
            for m in roll.methods {
                h += "<tr><td>\(esc(methodName(m.name)))</td>"
                h += cells([spread(m.hitRate, percent: true), spread(m.pai), spread(m.pei), spread(m.auc, digits: 3)])
                h += cells(m.paiBySplit.map { $0.map { String(format: "%.2f", $0) } ?? "—" }) + "</tr>\n"
            }
            h += "<tr><td class=muted>test events</td><td colspan=4></td>" + cells(roll.testEvents.map(String.init)) + "</tr>\n</table>\n"
        }
        return h
    }

    /// `evaluation.html`: the section as a page of its own.
    public static func page(_ r: EvaluationStage.Result, specPath: String) -> String {
        let title = "Evaluation: " + ((specPath as NSString).lastPathComponent as String)
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(esc(title))</title>
        <style>\(ReportHTML.style)</style></head><body>
        <h1>\(esc(title))</h1>
        \(section(r))<p class="muted">rtm \(RiskTerrainVersion.rtm). Event locations are not shown: every figure aggregates them to cells.</p>
        </body></html>

        """
    }

    static func methodName(_ name: String) -> String {
        switch name {
        case "rtm": "risk terrain model"
        case "kde": "kernel density of training events"
        case "previous_counts": "previous period's counts"
        case "uniform": "uniform (chance)"
        default: name.replacingOccurrences(of: "_", with: " ")
        }
    }

    static func spread(_ s: EvaluationStage.Spread, percent: Bool = false, digits: Int = 2) -> String {
        EvaluationStage.spread(s, percent: percent, digits: digits).trimmingCharacters(in: .whitespaces)
    }

    static func cells(_ values: [String]) -> String { values.map { "<td class=n>\(esc($0))</td>" }.joined() }

    static func esc(_ s: String) -> String { ReportHTML.esc(s) }
}
