import Foundation
import GeoIO
import RasterCore
import RiskModel

/// The files `rtm run` writes from a fitted model (see docs/outputs.md).
enum RunOutputs {
    static func writeMaps(_ f: Pipeline.Fitted, to folder: OutputFolder, factorLayers: Bool) throws {
        let crs = f.inputs.crs
        try GeoTIFFWriter.write(f.surface.rrs, crs: crs, to: try folder.stage("risk.tif"), options: .init(
            noData: Double(RiskSurface.noData), bandDescription: "relative risk score (RRS)",
            metadata: ["RTM_LAYER": "relative risk score", "RTM_FAMILY": f.model.family]))
        var classMetadata = ["RTM_LAYER": "RTMDx risk classes"]
        for c in RiskSurface.RiskClass.allCases { classMetadata["RTM_CLASS_\(c.rawValue)"] = c.label }
        try GeoTIFFWriter.write(f.surface.classes, crs: crs, to: try folder.stage("classes.tif"), options: .init(
            noData: Double(RiskSurface.classNoData), overviewResampling: "NEAREST",
            bandDescription: "risk class: 1 below average, 2 above average, 3 high, 4 highest", metadata: classMetadata))
        guard factorLayers else { return }
        for (column, term) in zip(f.model.columns, f.model.terms) {
            let layer = f.design.columns[column]
            let name = "factors/\(term.name.replacingOccurrences(of: ":", with: "_")).tif"
            switch layer.values {
            case .binary(let bits):
                var values = [UInt8](repeating: 255, count: bits.cellCount)
                for i in f.design.grid.mask.setIndices { values[i] = bits[i] ? 1 : 0 }
                try GeoTIFFWriter.write(Raster(geometry: bits.geometry, values: values), crs: crs, to: try folder.stage(name),
                                        options: .init(noData: 255, overviewResampling: "NEAREST", bandDescription: term.name))
            case .continuous(let r):
                var values = r.values
                let inside = f.design.grid.mask
                for i in values.indices where !inside[i] || !values[i].isFinite { values[i] = RiskSurface.noData }
                try GeoTIFFWriter.write(Raster(geometry: r.geometry, values: values), crs: crs, to: try folder.stage(name),
                                        options: .init(noData: Double(RiskSurface.noData), bandDescription: term.name))
            }
        }
    }

    /// The contract of DESIGN.md ("model.json") plus what a researcher needs to audit the run.
    static func modelJSON(_ f: Pipeline.Fitted) throws -> Data {
        let s = f.model.selection
        let g = f.design.grid.geometry
        var byFamily: [String: ModelDocument.FamilyResult] = [:]
        for (family, result) in s.byFamily {
            byFamily[FittedModel.name(family)] = .init(bic: result.model.bic, loglik: result.model.logLikelihood,
                                                        theta: result.model.theta,
                                                        terms: result.model.columns.map { f.design.columns[$0].name },
                                                        fits: result.fitCount)
        }
        let doc = ModelDocument(
            family: f.model.family, intercept: s.model.intercept.coefficient, interceptStdError: s.model.intercept.standardError,
            theta: s.model.theta, thetaStdError: s.model.thetaStandardError,
            nCells: f.design.cells.count, nEvents: f.design.events, bic: s.model.bic, aic: s.model.aic,
            loglik: s.model.logLikelihood, deviance: s.model.deviance, nParams: s.model.parameterCount,
            terms: f.model.terms,
            overdispersion: s.model.overdispersion.map { .init(statistic: $0.statistic, p: $0.p) },
            selection: f.inputs.spec.model.selection.rawValue, familyRequested: f.inputs.spec.model.family.rawValue,
            byFamily: byFamily,
            stepwisePath: s.stepwisePath.map { .init(step: $0.step, move: $0.move.rawValue, term: $0.name, bic: $0.bic) },
            glmnet: s.elasticNet.map { e in
                .init(alpha: f.inputs.spec.model.selection == .lasso ? 1 : f.inputs.spec.model.alpha,
                      lambda: e.lambda, lambdaFrom: e.crossValidated ? "cross-validation" : "model.lambda",
                      lambdaMin: e.lambdaMin, lambda1se: e.lambda1se, lambdas: e.lambdaCount,
                      folds: e.crossValidated ? f.inputs.spec.model.folds : nil,
                      seed: f.inputs.spec.model.seed, cvPatience: e.crossValidated ? f.inputs.spec.model.cvPatience : nil,
                      cvStoppedEarly: s.crossValidation?.stoppedEarly, nonzero: e.shortlistNames,
                      notConverged: e.notConverged,
                      foldsNotConverged: e.foldsNotConverged.enumerated().filter { !$0.element.isEmpty }
                          .map { .init(fold: $0.offset + 1, lambdas: $0.element) },
                      coefLambdaMin: Dictionary(uniqueKeysWithValues: zip(e.shortlistNames, e.penalisedCoefficients)),
                      cvCurve: s.crossValidation.map { cv in
                          zip(cv.path.lambdas, zip(cv.meanDeviance, cv.standardError)).map { .init(lambda: $0, deviance: $1.0, se: $1.1) }
                      } ?? [])
            },
            candidates: f.design.columns.count + f.design.dropped.count, candidatesKept: f.design.columns.count,
            candidatesDropped: f.design.dropped, nEventsRead: f.inputs.outcome.report.kept,
            nEventsOutsideCells: f.design.eventsRead - f.design.events,
            nCellsDroppedNodata: f.design.cellsDroppedNoData,
            grid: .init(crs: f.inputs.crs.description, cellSize: g.cellSize, xmin: g.originX, ymax: g.originY, ncol: g.width,
                        nrow: g.height, cellsInStudyArea: f.design.grid.cellsInside, exposure: "1 per cell"),
            rrs: .init(min: f.surface.min, max: f.surface.max, mean: f.surface.mean, sd: f.surface.standardDeviation,
                       classCells: Dictionary(uniqueKeysWithValues: RiskSurface.RiskClass.allCases.map { ($0.label, f.surface.classCounts[$0] ?? 0) })))
        return try encodeJSON(doc)
    }

    /// An output document as JSON (pretty-printed, sorted snake_case keys): what every JSON rtm
    /// writes goes through. NaN and ±∞ are never written as strings: each is `null`, and the
    /// document gets a top-level `non_finite` list naming each one's JSON path, what it was and
    /// why it has no value — so a reader neither parses "NaN" as text nor takes null for zero.
    /// Documents with only finite numbers are byte for byte as the plain encoder writes them.
    static func encodeJSON<T: Encodable>(_ value: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        let mark = NonFinite.marks
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: mark.inf, negativeInfinity: mark.minusInf, nan: mark.nan)
        let data = try e.encode(value)
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(NonFinite.token) else { return data }
        var found: [NonFinite] = []
        NonFinite.find(in: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), path: "", into: &found)
        var out = text
        for m in [mark.nan, mark.inf, mark.minusInf] { out = out.replacingOccurrences(of: "\"\(m)\"", with: "null") }
        if out.hasSuffix("\n}"), !found.isEmpty {
            let plain = JSONEncoder()
            plain.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let list = String(decoding: try plain.encode(found), as: UTF8.self).replacingOccurrences(of: "\n", with: "\n  ")
            out = String(out.dropLast(2)) + ",\n  \"non_finite\" : " + list + "\n}"
        }
        return Data(out.utf8)
    }

    /// The plain encoder of the output documents. Use `encodeJSON`, which writes NaN and ∞ as
    /// null with a reason; this one throws on them rather than write them as strings.
    static func jsonEncoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }

    /// One row per selected term: what a tasking meeting reads.
    static func rrvCSV(_ f: Pipeline.Fitted) -> String { rrvCSV(f.model.terms) }

    static func rrvCSV(_ terms: [FittedModel.TermRow]) -> String {
        func n(_ v: Double?) -> CSVWriter.Field { .number(v.map { String(format: "%.6g", $0) } ?? "") }
        return CSVWriter.document(
            header: ["factor", "influence", "distance_m", "bandwidth_m", "unit", "rrv", "rrv_ci_low", "rrv_ci_high", "coefficient", "std_error", "z", "p"],
            rows: terms.sorted(by: { $0.rrv > $1.rrv }).map { t in
                [.text(t.factor), .text(t.influence), n(t.distanceM), n(t.bandwidthM), .text(t.unit), n(t.rrv), n(t.rrvCiLow), n(t.rrvCiHigh),
                 n(t.coefficient), n(t.stdError), n(t.z), n(t.p)]
            })
    }
}

/// The shape of model.json.
struct ModelDocument: Encodable {
    struct FamilyResult: Encodable { let bic: Double; let loglik: Double; let theta: Double?; let terms: [String]; let fits: Int }
    struct Overdispersion: Encodable { let statistic: Double; let p: Double }
    struct Step: Encodable { let step: Int; let move: String; let term: String?; let bic: Double }
    struct CVPoint: Encodable { let lambda: Double; let deviance: Double; let se: Double }
    struct FoldNotConverged: Encodable { let fold: Int; let lambdas: [Double] }
    struct Glmnet: Encodable {
        let alpha: Double
        /// The λ of the shortlist, and where it came from: "cross-validation" (λ.min) or
        /// "model.lambda" (given; then no λ.min, λ.1se, folds or CV curve).
        let lambda: Double; let lambdaFrom: String
        let lambdaMin: Double?; let lambda1se: Double?; let lambdas: Int; let folds: Int?; let seed: UInt64
        /// The paths stopped `cvPatience` λ past the CV minimum (0: run to the end).
        let cvPatience: Int?; let cvStoppedEarly: Bool?
        let nonzero: [String]
        /// The λ of the shortlist's path at which coordinate descent stopped at its pass limit
        /// before converging (their coefficients are the last iterate); empty when all converged.
        let notConverged: [Double]
        /// The same for each cross-validation fold's path, for the folds with any.
        let foldsNotConverged: [FoldNotConverged]; let coefLambdaMin: [String: Double]; let cvCurve: [CVPoint]
    }
    struct Grid: Encodable {
        let crs: String; let cellSize: Double; let xmin: Double; let ymax: Double; let ncol: Int; let nrow: Int
        let cellsInStudyArea: Int; let exposure: String
    }
    struct RRS: Encodable { let min: Double; let max: Double; let mean: Double; let sd: Double; let classCells: [String: Int] }

    let family: String
    let intercept: Double
    let interceptStdError: Double
    let theta: Double?
    let thetaStdError: Double?
    let nCells: Int
    let nEvents: Int
    let bic: Double
    let aic: Double
    let loglik: Double
    let deviance: Double
    let nParams: Int
    let terms: [FittedModel.TermRow]
    let overdispersion: Overdispersion?
    let selection: String
    let familyRequested: String
    let byFamily: [String: FamilyResult]
    let stepwisePath: [Step]
    let glmnet: Glmnet?
    let candidates: Int
    let candidatesKept: Int
    let candidatesDropped: [AnalysisDesign.Dropped]
    let nEventsRead: Int
    let nEventsOutsideCells: Int
    let nCellsDroppedNodata: Int
    let grid: Grid
    let rrs: RRS

    enum CodingKeys: String, CodingKey {
        case family, intercept, interceptStdError, theta, thetaStdError, nCells, nEvents, bic, aic, loglik, deviance, nParams
        case terms, overdispersion, selection, familyRequested, byFamily, stepwisePath, glmnet, candidates, candidatesKept
        case candidatesDropped, nEventsRead, nEventsOutsideCells, nCellsDroppedNodata, grid, rrs
    }

    /// Absent values are written as null (θ for a Poisson model, glmnet for `selection: none`).
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(family, forKey: .family)
        try c.encode(intercept, forKey: .intercept)
        try c.encode(interceptStdError, forKey: .interceptStdError)
        try c.encode(theta, forKey: .theta)
        try c.encode(thetaStdError, forKey: .thetaStdError)
        try c.encode(nCells, forKey: .nCells)
        try c.encode(nEvents, forKey: .nEvents)
        try c.encode(bic, forKey: .bic)
        try c.encode(aic, forKey: .aic)
        try c.encode(loglik, forKey: .loglik)
        try c.encode(deviance, forKey: .deviance)
        try c.encode(nParams, forKey: .nParams)
        try c.encode(terms, forKey: .terms)
        try c.encode(overdispersion, forKey: .overdispersion)
        try c.encode(selection, forKey: .selection)
        try c.encode(familyRequested, forKey: .familyRequested)
        try c.encode(byFamily, forKey: .byFamily)
        try c.encode(stepwisePath, forKey: .stepwisePath)
        try c.encode(glmnet, forKey: .glmnet)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(candidatesKept, forKey: .candidatesKept)
        try c.encode(candidatesDropped, forKey: .candidatesDropped)
        try c.encode(nEventsRead, forKey: .nEventsRead)
        try c.encode(nEventsOutsideCells, forKey: .nEventsOutsideCells)
        try c.encode(nCellsDroppedNodata, forKey: .nCellsDroppedNodata)
        try c.encode(grid, forKey: .grid)
        try c.encode(rrs, forKey: .rrs)
    }
}

/// A number of an output document that is NaN or infinite, written as null (`encodeJSON`).
struct NonFinite: Encodable, Equatable {
    /// The JSON path of the null, e.g. `terms[2].std_error`, `methods.rtm.pai`.
    let path: String
    /// `NaN`, `Infinity` or `-Infinity`.
    let value: String
    let reason: String

    /// A token no input can contain (it is new in each process), marking non-finite numbers in
    /// the encoder's output until they are rewritten as null.
    static let token = "rtm-non-finite-\(UUID().uuidString)"
    static let marks = (nan: token + "-nan", inf: token + "-inf", minusInf: token + "-minus-inf")

    static func find(in node: Any, path: String, into found: inout [NonFinite]) {
        if let d = node as? [String: Any] {
            for k in d.keys.sorted() { find(in: d[k]!, path: path.isEmpty ? k : "\(path).\(k)", into: &found) }
        } else if let a = node as? [Any] {
            for (i, v) in a.enumerated() { find(in: v, path: "\(path)[\(i)]", into: &found) }
        } else if let s = node as? String {
            switch s {
            case marks.nan:
                found.append(.init(path: path, value: "NaN", reason: "not a number: undefined here (a ratio of zero to zero — no events, no area or no variation to divide by — or a fit that did not give one)"))
            case marks.inf:
                found.append(.init(path: path, value: "Infinity", reason: "infinite: a ratio with nothing below it (e.g. events over no area), or too large for a number"))
            case marks.minusInf:
                found.append(.init(path: path, value: "-Infinity", reason: "minus infinity: the logarithm of zero, or too large a negative number"))
            default: break
            }
        }
    }
}
