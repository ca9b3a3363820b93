import Foundation
import Hotspots
import RasterCore

/// Renders the relative risk surface as an RGBA image with a legend, a scale bar and a north
/// arrow: `risk.png`, and the map in `report.html`.
///
/// Colour is the ColorBrewer YlOrRd ramp over log RRS between the surface's minimum and maximum
/// (risk multiplies, so equal colour steps are equal ratios); the legend marks five RRS values.
/// Grids wider than `maxMapWidth` are shown at one pixel per block of cells, each block showing
/// its highest RRS, so small hotspots stay visible.
public enum QuickLookMap {
    public static let maxMapWidth = 900
    static let ramp: [(Double, Double, Double)] = [
        (255, 255, 204), (255, 237, 160), (254, 217, 118), (254, 178, 76), (253, 141, 60),
        (252, 78, 42), (227, 26, 28), (189, 0, 38), (128, 0, 38),
    ]

    public struct Image: Sendable { public let width: Int; public let height: Int; public let rgba: [UInt8] }

    static func colour(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let x = min(max(t, 0), 1) * Double(ramp.count - 1)
        let i = min(Int(x), ramp.count - 2), f = x - Double(i)
        let a = ramp[i], b = ramp[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }

    /// - Parameter hotspots: outlined in dark grey and numbered by rank (the first nine).
    public static func render(_ surface: RiskSurface, hotspots: [RiskClusters.Cluster] = []) -> Image {
        let g = surface.rrs.geometry
        let step = max(1, Int((Double(g.width) / Double(maxMapWidth)).rounded(.up)))
        let scale = step == 1 ? max(1, min(4, maxMapWidth / max(g.width, 1), 700 / max(g.height, 1))) : 1
        let mapW = (g.width + step - 1) / step * scale, mapH = (g.height + step - 1) / step * scale
        let margin = 12, legendW = 120
        let width = margin + mapW + margin + legendW, height = max(mapH + 2 * margin + 30, 260)
        var px = [UInt8](repeating: 255, count: width * height * 4)
        func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = (y * width + x) * 4
            px[i] = c.0; px[i + 1] = c.1; px[i + 2] = c.2; px[i + 3] = 255
        }
        let lo = log(max(surface.min, 1e-12)), hi = log(max(surface.max, 1e-12))
        let span = hi - lo > 1e-12 ? hi - lo : 1
        // Map: blocks of step×step cells, each at its highest RRS.
        for by in 0..<(g.height + step - 1) / step {
            for bx in 0..<(g.width + step - 1) / step {
                var best: Float = RiskSurface.noData
                for r in by * step..<min(g.height, (by + 1) * step) {
                    for c in bx * step..<min(g.width, (bx + 1) * step) { best = max(best, surface.rrs[r, c]) }
                }
                let col: (UInt8, UInt8, UInt8) = best == RiskSurface.noData ? (235, 235, 235) : colour((log(Double(best)) - lo) / span)
                for dy in 0..<scale { for dx in 0..<scale { set(margin + bx * scale + dx, margin + by * scale + dy, col) } }
            }
        }
        let ink: (UInt8, UInt8, UInt8) = (40, 40, 40)
        // Hotspots: outline the cells on a cluster's edge, and number the top nine at their centroid.
        if step == 1 {
            for c in hotspots {
                let members = Set(c.cells)
                for cell in c.cells {
                    let r = cell / g.width, col = cell % g.width
                    let edge = [(-1, 0), (1, 0), (0, -1), (0, 1)].contains { dr, dc in
                        let rr = r + dr, cc = col + dc
                        return rr < 0 || cc < 0 || rr >= g.height || cc >= g.width || !members.contains(rr * g.width + cc)
                    }
                    guard edge else { continue }
                    for dy in 0..<scale { for dx in 0..<scale { set(margin + col * scale + dx, margin + r * scale + dy, (60, 60, 60)) } }
                }
            }
        }
        for c in hotspots where c.rank <= 9 {
            let x = margin + Int((c.centroid.x - g.originX) / g.cellSize / Double(step) * Double(scale)) - 5
            let y = margin + Int((g.originY - c.centroid.y) / g.cellSize / Double(step) * Double(scale)) - 7
            for dy in -2..<16 { for dx in -2..<12 { set(x + dx, y + dy, (255, 255, 255)) } }
            for p in BitmapFont.pixels("\(c.rank)", x: x, y: y, scale: 2) { set(p.x, p.y, ink) }
        }
        // Legend: a vertical ramp with five RRS labels, "RRS" above.
        let lx = margin + mapW + margin, ly = margin + 22, lh = 180
        for (p) in BitmapFont.pixels("RRS", x: lx, y: margin, scale: 2) { set(p.x, p.y, ink) }
        for y in 0..<lh {
            let c = colour(1 - Double(y) / Double(lh - 1))
            for x in 0..<18 { set(lx + x, ly + y, c) }
        }
        for k in 0...4 {
            let t = Double(k) / 4
            let value = exp(lo + t * span)
            let y = ly + Int((1 - t) * Double(lh - 1))
            for x in 18..<22 { set(lx + x, y, ink) }
            let label = value >= 100 ? String(format: "%.0f", value) : value >= 10 ? String(format: "%.1f", value) : String(format: "%.2f", value)
            for p in BitmapFont.pixels(label, x: lx + 30, y: y - 6, scale: 2) { set(p.x, p.y, ink) }
        }
        // Scale bar: a round length near a fifth of the map's width.
        let metresPerPixel = g.cellSize * Double(step) / Double(scale)
        let target = Double(mapW) * metresPerPixel / 5
        let nice = [100.0, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000].last { $0 <= target } ?? 100
        let barPx = Int(nice / metresPerPixel)
        let by0 = margin + mapH + 14
        for x in 0..<barPx { for y in 0..<4 { set(margin + x, by0 + y, ink) } }
        let label = nice >= 1000 ? "\(InspectText.number(nice / 1000)) km" : "\(Int(nice)) m"
        for p in BitmapFont.pixels(label, x: margin + barPx + 8, y: by0 - 5, scale: 2) { set(p.x, p.y, ink) }
        // North arrow at the map's top-right corner.
        let ax = margin + mapW - 16, ay = margin + 4
        for y in 0..<14 { for x in -(y / 2)...(y / 2) { set(ax + x, ay + y, ink) } }
        for p in BitmapFont.pixels("N", x: ax - 5, y: ay + 17, scale: 2) { set(p.x, p.y, ink) }
        return Image(width: width, height: height, rgba: px)
    }
}
