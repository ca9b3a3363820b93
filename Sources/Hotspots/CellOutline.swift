import RasterCore

/// The outline of a set of grid cells as polygons on the cell edges: the exact union of the cell
/// squares, ready for GeoIO's GeoJSON/GeoPackage writers.
///
/// Algorithm (boundary tracing on the cell-edge graph, as in crack following, Rosenfeld & Kak
/// 1982 §11.2): every cell side whose neighbour across it is not in the set is a directed edge
/// with the set on its left; a vertex has one or two outgoing edges, two where only diagonal
/// cells meet (a pinch). Edges are chained into rings turning **left** at a pinch, so a ring
/// hugs its cells: two cells that touch only at a corner get two rings touching there. Where a
/// ring still passes a pinch twice (a hole that meets the outside at a corner), it is split
/// there into two loops — the shell and the hole — which is the other pairing at that vertex.
/// So no ring visits a vertex twice, and rings touch only at points, as OGC simple features
/// allow (between the polygons of a multipolygon, and between a shell and its holes).
/// Collinear vertices are dropped. With the set on the left, exteriors run counter-clockwise
/// and holes clockwise in the map (y up) — RFC 7946's right-hand rule. Each hole goes to the
/// smallest exterior containing the centre of the empty cell on its right-hand side (even-odd
/// test, exact because cell centres never lie on cell edges).
///
/// Complexity O(k) edges for k cells plus O(holes × exterior vertices) for the assignment.
/// Vertices are `origin ± i·cellSize`, so ring areas equal cell count × cell area to the
/// rounding of those products (relative ~1e-15).
public enum CellOutline {
    /// Polygons (exterior counter-clockwise, then its holes clockwise) covering `cells`,
    /// in the order traced (roughly raster order of each exterior's first edge).
    public static func polygons(of cells: [Int], geometry g: GridGeometry) -> [Polygon] {
        guard !cells.isEmpty else { return [] }
        let w = g.width
        let member = Set(cells)
        func inside(_ r: Int, _ c: Int) -> Bool { r >= 0 && c >= 0 && r < g.height && c < w && member.contains(r * w + c) }
        // Vertices (vc, vr) in 0...w × 0...h; id vr·(w+1)+vc. Directions in the map: E, N, W, S.
        let stride = w + 1
        let step = [1, -stride, -1, stride]   // E, N, W, S in vertex ids (north is row − 1)
        // Directed edge id: vertex·4 + direction.
        var edges = Set<Int>()
        for cell in cells {
            let r = cell / w, c = cell % w
            if !inside(r + 1, c) { edges.insert(((r + 1) * stride + c) * 4 + 0) }       // south side, eastward
            if !inside(r, c + 1) { edges.insert(((r + 1) * stride + c + 1) * 4 + 1) }   // east side, northward
            if !inside(r - 1, c) { edges.insert((r * stride + c + 1) * 4 + 2) }         // north side, westward
            if !inside(r, c - 1) { edges.insert((r * stride + c) * 4 + 3) }             // west side, southward
        }
        // Successor of an edge: at its end vertex, turn left if possible, else straight, else right.
        func successor(_ e: Int) -> Int {
            let d = e & 3, end = e >> 2 + step[d]
            for nd in [(d + 1) & 3, d, (d + 3) & 3] where edges.contains(end * 4 + nd) { return end * 4 + nd }
            preconditionFailure("open cell outline")
        }
        var used = Set<Int>()
        var rings: [[(Int, Int)]] = []
        for e0 in edges.sorted() where !used.contains(e0) {
            var ring: [(Int, Int)] = []
            var e = e0
            repeat {
                used.insert(e)
                let next = successor(e)
                if next & 3 != e & 3 { let v = next >> 2; ring.append((v % stride, v / stride)) }   // a corner
                e = next
            } while e != e0
            rings.append(contentsOf: splitAtRepeatedVertices(ring))
        }
        let points = rings.map { $0.map { Point2(g.originX + Double($0.0) * g.cellSize, g.originY - Double($0.1) * g.cellSize) } }
        var exteriors: [(ring: [Point2], area: Double, holes: [[Point2]])] = []
        var holes: [[Point2]] = []
        for p in points {
            let a = signedArea(p)
            if a > 0 { exteriors.append((p, a, [])) } else { holes.append(p) }
        }
        for hole in holes {
            // The empty cell to the right of the hole's first edge (the hole lies on the right).
            let a = hole[0], b = hole[1]
            let ex = (b.x - a.x).sign == .minus ? -1.0 : (b.x == a.x ? 0 : 1)
            let ey = (b.y - a.y).sign == .minus ? -1.0 : (b.y == a.y ? 0 : 1)
            let h = g.cellSize / 2
            let probe = Point2(a.x + ex * h + ey * h, a.y + ey * h - ex * h)   // half a cell along, half to the right
            var best: Int?
            for (j, e) in exteriors.enumerated() where Polygon.ringContains(e.ring, probe) {
                if best == nil || e.area < exteriors[best!].area { best = j }
            }
            precondition(best != nil, "a hole outside every exterior")
            exteriors[best!].holes.append(hole)
        }
        return exteriors.map { Polygon(exterior: $0.ring, holes: $0.holes) }
    }

    /// Splits a closed vertex sequence that passes a vertex twice into loops that do not: the
    /// other pairing of the edges at that pinch. Each loop keeps the pinch as a corner.
    static func splitAtRepeatedVertices(_ ring: [(Int, Int)]) -> [[(Int, Int)]] {
        struct V: Hashable { let x: Int, y: Int }
        var stack: [(Int, Int)] = []
        var position: [V: Int] = [:]
        var loops: [[(Int, Int)]] = []
        for v in ring {
            if let i = position[V(x: v.0, y: v.1)] {
                loops.append(Array(stack[i...]))
                for u in stack[(i + 1)...] { position[V(x: u.0, y: u.1)] = nil }
                stack.removeSubrange((i + 1)...)
            } else {
                position[V(x: v.0, y: v.1)] = stack.count
                stack.append(v)
            }
        }
        loops.append(stack)
        return loops
    }

    /// Shoelace area, positive counter-clockwise (y up).
    public static func signedArea(_ ring: [Point2]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var s = 0.0
        for i in ring.indices {
            let p = ring[i], q = ring[(i + 1) % ring.count]
            s += p.x * q.y - q.x * p.y
        }
        return s / 2
    }

    /// Area of a polygon: exterior minus holes (absolute shoelace areas).
    public static func area(_ polygon: Polygon) -> Double {
        guard let ext = polygon.rings.first else { return 0 }
        return abs(signedArea(ext)) - polygon.rings.dropFirst().reduce(0) { $0 + abs(signedArea($1)) }
    }
}
