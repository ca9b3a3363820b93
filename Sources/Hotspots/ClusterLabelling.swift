import RasterCore

/// Joins selected cells into clusters: 8-connected components (cells sharing an edge or a
/// corner), optionally also joining any two cells whose centres are within `mergeDistance`
/// metres (so clusters separated by a gap narrower than that become one).
///
/// Algorithm: union-find with path halving and union by smaller root (Tarjan 1975; the
/// classical two-pass labelling of Rosenfeld & Pfaltz 1966 done with a disjoint-set forest).
/// Each selected cell is linked to its selected neighbours among the forward half of the
/// neighbourhood: the 8-neighbourhood, or, with a merge distance d, every offset (dr, dc) with
/// (dr² + dc²)·cs² ≤ d² (1e-9 relative slack), which includes the 8-neighbourhood when d < cs·√2.
/// Cost O(cells) memory for the label grid plus O(selected × window) time, window = the 4
/// forward neighbours, or ≈ π(d/cs)²/2 offsets with a merge distance. Exact.
///
/// Components are returned with their cells in increasing index, ordered by their smallest cell
/// index (raster order), so the labelling is deterministic.
public enum ClusterLabelling {
    public static func components(of cells: [Int], geometry g: GridGeometry, mergeDistance: Double? = nil) -> [[Int]] {
        if let d = mergeDistance { precondition(d.isFinite && d >= 0, "a merge distance is finite and not negative") }
        let w = g.width, h = g.height
        var slot = [Int32](repeating: -1, count: g.cellCount)
        for (k, c) in cells.enumerated() { slot[c] = Int32(k) }
        var parent = Array(0..<cells.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { if ra < rb { parent[rb] = ra } else { parent[ra] = rb } }
        }
        // Forward offsets: (0, +1) and every (dr > 0, dc), so each unordered pair is visited once.
        var offsets: [(Int, Int)] = [(0, 1), (1, -1), (1, 0), (1, 1)]
        if let d = mergeDistance, d >= g.cellSize * 2.squareRoot() {
            let r2 = (d / g.cellSize) * (d / g.cellSize) * (1 + 1e-9)
            let R = Int(r2.squareRoot())
            offsets = []
            for dr in 0...R {
                for dc in -R...R where (dr > 0 || dc > 0) && Double(dr * dr + dc * dc) <= r2 {
                    offsets.append((dr, dc))
                }
            }
        }
        for (k, c) in cells.enumerated() {
            let r = c / w, col = c % w
            for (dr, dc) in offsets {
                let rr = r + dr, cc = col + dc
                guard rr < h, cc >= 0, cc < w else { continue }
                let s = slot[rr * w + cc]
                if s >= 0 { union(k, Int(s)) }
            }
        }
        var byRoot: [Int: Int] = [:]
        var out: [[Int]] = []
        for k in cells.indices.sorted(by: { cells[$0] < cells[$1] }) {
            let root = find(k)
            if let j = byRoot[root] { out[j].append(cells[k]) } else { byRoot[root] = out.count; out.append([cells[k]]) }
        }
        return out
    }
}
