import CPROJ
import Foundation
import RasterCore

/// Transforms coordinates between two CRSs with PROJ, in traditional GIS axis order
/// (x = easting/longitude, y = northing/latitude) on both sides.
///
/// PROJ chooses among the candidate operations per point (`proj_create_crs_to_crs`); the one it
/// used last and its documented accuracy are exposed for reports and tests. Not thread-safe: it
/// owns its PROJ context; make one per thread.
public final class CoordinateTransformer {
    public let source: CRS
    public let target: CRS
    private let context: OpaquePointer
    private let transform: OpaquePointer
    /// PROJ's log lines for this context ("tmerc: Invalid latitude"), kept for errors instead of
    /// PROJ's default of printing them to stderr.
    private let log: ProjLog

    public init(from source: CRS, to target: CRS) throws {
        self.source = source
        self.target = target
        guard let ctx = proj_context_create() else {
            throw LibraryError(.proj, operation: "create a context", message: "out of memory")
        }
        let log = ProjLog()
        log.attach(to: ctx)
        guard let raw = proj_create_crs_to_crs(ctx, source.wkt, target.wkt, nil) else {
            let message = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_context_destroy(ctx)
            throw LibraryError(.proj, operation: "find a transformation",
                               subject: "\(source) → \(target)", message: message)
        }
        guard let normalised = proj_normalize_for_visualization(ctx, raw) else {
            let message = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_destroy(raw)
            proj_context_destroy(ctx)
            throw LibraryError(.proj, operation: "normalise axis order", subject: "\(source) → \(target)", message: message)
        }
        proj_destroy(raw)
        self.context = ctx
        self.transform = normalised
        self.log = log
    }

    /// The distinct messages PROJ logged since this transformer was made, oldest first (at most 8).
    public var messages: [String] { log.messages }

    deinit {
        proj_destroy(transform)
        proj_context_destroy(context)
    }

    /// Transforms points in place. Points PROJ cannot transform become non-finite; the count of
    /// such points is returned so callers can report them.
    @discardableResult
    public func transform(_ points: inout [Point2]) -> Int {
        guard !points.isEmpty else { return 0 }
        let stride = MemoryLayout<Point2>.stride
        let count = points.count
        points.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let xs = base.assumingMemoryBound(to: Double.self)
            let ys = (base + MemoryLayout<Double>.stride).assumingMemoryBound(to: Double.self)
            _ = proj_trans_generic(transform, PJ_FWD, xs, stride, count, ys, stride, count,
                                   nil, 0, 0, nil, 0, 0)
        }
        var failed = 0
        // PROJ marks a point it could not transform with HUGE_VAL (infinity).
        for i in points.indices where !(points[i].x.isFinite && points[i].y.isFinite) {
            points[i] = Point2(.nan, .nan)
            failed += 1
        }
        return failed
    }

    /// Transforms one point; nil when PROJ cannot.
    public func transform(_ p: Point2) -> Point2? {
        var ps = [p]
        return transform(&ps) == 0 ? ps[0] : nil
    }

    /// The operation PROJ used for the last point transformed, and its accuracy in metres as PROJ
    /// documents it (nil when unknown, e.g. a conversion with no datum change, or a ballpark).
    public var lastOperation: (name: String, accuracyMetres: Double?)? {
        guard let op = proj_trans_get_last_used_operation(transform) else { return nil }
        defer { proj_destroy(op) }
        let name = proj_get_name(op).map { String(cString: $0) } ?? "unnamed"
        let accuracy = proj_coordoperation_get_accuracy(context, op)
        return (name, accuracy >= 0 ? accuracy : nil)
    }
}

/// Collects a PROJ context's log lines (`proj_log_func`) so that none reaches the terminal: the
/// reader puts the first into its own error, which names the file and the fix.
final class ProjLog {
    private(set) var messages: [String] = []

    func attach(to context: OpaquePointer) {
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { user, _, text in
            guard let user, let text else { return }
            let log = Unmanaged<ProjLog>.fromOpaque(user).takeUnretainedValue()
            let line = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
            if log.messages.count < 8, !line.isEmpty, !log.messages.contains(line) { log.messages.append(line) }
        }
    }
}

/// Transformers by source and target CRS, made once and reused by one thread (a transformer is
/// not thread-safe): reading a folder of files in one CRS finds PROJ's operation once.
public final class TransformerCache {
    private var made: [CRS: [CRS: CoordinateTransformer]] = [:]

    public init() {}

    public func transformer(from source: CRS, to target: CRS) throws -> CoordinateTransformer {
        if let t = made[source]?[target] { return t }
        let t = try CoordinateTransformer(from: source, to: target)
        made[source, default: [:]][target] = t
        return t
    }
}
