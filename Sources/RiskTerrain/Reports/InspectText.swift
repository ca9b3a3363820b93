import Foundation
import GeoIO
import RasterCore

/// Renders `rtm inspect` output: plain text a user reads in a terminal.
public enum InspectText {
    public static func render(_ description: DatasetDescription) -> String {
        switch description {
        case .raster(let r): return raster(r)
        case .vector(let path, let format, let layers): return vector(path: path, format: format, layers: layers)
        }
    }

    static func raster(_ r: RasterInfo) -> String {
        var lines = ["\(r.path)", "  format:     \(r.format) (raster)",
                     "  size:       \(r.width) × \(r.height) pixels, \(r.bands.count) band\(r.bands.count == 1 ? "" : "s")"]
        if let p = r.pixelSize {
            lines.append("  pixel size: \(number(p.x)) × \(number(p.y))\(unit(r.crs))")
        } else {
            lines.append("  pixel size: none — the raster has no georeferencing")
        }
        lines.append("  crs:        \(r.crs?.description ?? "none — add crs: for it in the spec")")
        if let e = r.extent { lines.append("  extent:     \(extent(e))") }
        for b in r.bands {
            let nd = b.noData.map { "nodata \(number($0))" } ?? "no nodata value"
            let d = b.description.isEmpty ? "" : " “\(b.description)”"
            let layout = b.blockWidth == r.width ? "strips" : "\(b.blockWidth)×\(b.blockHeight) tiles"
            let overviews = b.overviewCount > 0 ? ", \(b.overviewCount) overviews" : ""
            lines.append("  band \(b.index):     \(b.dataType), \(nd)\(d), \(layout)\(overviews)")
        }
        return lines.joined(separator: "\n")
    }

    static func vector(path: String, format: String, layers: [LayerDescription]) -> String {
        var lines = ["\(path)", "  format:     \(format) (vector, \(layers.count) layer\(layers.count == 1 ? "" : "s"))"]
        for l in layers {
            lines.append("  layer \(l.name)")
            lines.append("    geometry: \(l.geometryType)")
            lines.append("    features: \(l.featureCount)")
            lines.append("    crs:      \(l.crs?.description ?? "none — add crs: for this layer in the spec")")
            if let e = l.extent { lines.append("    extent:   \(extent(e))") }
            if let r = l.pointRead {
                for note in r.notes { lines.append("    note:     \(note)") }
                lines.append("    points:   \(r.kept) with coordinates" + (r.skippedTotal > 0 ? ", \(r.skippedTotal) skipped" : ""))
                for (reason, n) in r.skipped.sorted(by: { $0.key < $1.key }) {
                    let ex = r.skippedExamples[reason, default: []].joined(separator: ", ")
                    lines.append("    skipped:  \(n) with \(reason) (\(ex)\(n > 5 ? ", …" : ""))")
                }
            }
            if let p = l.pointProblem { lines.append("    problem:  \(p)") }
            let fields = l.fields.map { "\($0.name) (\($0.type))" }
            if !fields.isEmpty { lines.append("    fields:   " + fields.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n")
    }

    static func unit(_ crs: CRS?) -> String {
        guard let crs else { return "" }
        if crs.isGeographic { return " degrees" }
        return crs.metresPerUnit == 1 ? " m" : " \(crs.linearUnitName ?? "units")"
    }

    static func extent(_ e: Extent) -> String {
        "x \(number(e.minX)) … \(number(e.maxX)), y \(number(e.minY)) … \(number(e.maxY))"
    }

    /// A share (0…1) as a percentage a reader can compare: one decimal from 0.1 %, two significant
    /// digits below it (0.0043), "0" for none — never a small share printed as 0.000.
    static func percent(_ share: Double) -> String {
        let v = share * 100
        if v == 0 || !v.isFinite { return v == 0 ? "0" : "\(v)" }
        if abs(v) >= 0.1 { return String(format: "%.1f", v) }
        let decimals = min(12, 1 - Int(Foundation.log10(abs(v)).rounded(.down)))
        return String(format: "%.\(decimals)f", v)
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e12 { return String(Int64(v)) }
        var s = String(format: "%.6f", v)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }
}
