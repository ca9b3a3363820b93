import Foundation
import GeoIO
import Hotspots
import RasterCore

/// `hotspots.gpkg`, `hotspots.geojson`, `hotspots.csv` and `hotspots.tif`. Counts of events and
/// reports below the disclosure threshold are written as "<5"; no event coordinates are written.
enum HotspotOutputs {
    static let fields = [
        OutputField("rank", .integer), OutputField("id", .integer), OutputField("label", .string),
        OutputField("cells", .integer), OutputField("area_m2", .real), OutputField("mean_rrs", .real), OutputField("max_rrs", .real),
        OutputField("score", .real), OutputField("events", .string), OutputField("streetsafe_reports", .string),
        OutputField("drivers", .string), OutputField("centroid_x", .real), OutputField("centroid_y", .real),
        OutputField("lon", .real), OutputField("lat", .real), OutputField("streetsafe_lens", .string),
        OutputField("top_concern", .string), OutputField("gistar_hot_share", .real),
    ]

    static func values(_ h: Hotspot, _ disclosure: Disclosure) -> [AttributeValue] {
        let c = h.cluster
        return [.integer(c.rank), .integer(c.id), .string(h.label), .integer(c.cellCount), .real(c.area), .real(c.meanRRS),
                .real(c.maxRRS), .real(c.score), .string(disclosure.render(h.events)),
                h.reports.map { .string(disclosure.render($0)) } ?? .null, .string(h.narrative),
                .real(c.centroid.x), .real(c.centroid.y), .real(h.lonLat.x), .real(h.lonLat.y),
                h.lens.map { .string($0.verdict.rawValue) } ?? .null,
                h.topConcern.map { .string("\($0.reason) \(Int(($0.share * 100).rounded()))%") } ?? .null,
                h.giStarHotShare.map { .real($0) } ?? .null]
    }

    static func write(_ hotspots: [Hotspot], fitted f: Pipeline.Fitted, options: HotspotOptions, to folder: OutputFolder) throws {
        let disclosure = Disclosure(threshold: options.disclosureThreshold)
        let features = hotspots.map { OutputFeature(geometry: .multiPolygon($0.cluster.outline), values: values($0, disclosure)) }
        try VectorWriter.write(features, fields: fields, layerName: "hotspots", crs: f.inputs.crs, to: try folder.stage("hotspots.gpkg"), format: .geoPackage)
        try VectorWriter.write(features, fields: fields, layerName: "hotspots", crs: f.inputs.crs, to: try folder.stage("hotspots.geojson"), format: .geoJSON)
        try folder.write(csv(hotspots, disclosure), to: "hotspots.csv")
        // Rank raster: the hotspot's rank in its cells, 0 elsewhere in the study area, −1 outside.
        let g = f.surface.rrs.geometry
        var ranks = [Int32](repeating: -1, count: g.cellCount)
        for cell in f.design.cells { ranks[cell] = 0 }
        for h in hotspots { for cell in h.cluster.cells { ranks[cell] = Int32(h.cluster.rank) } }
        try GeoTIFFWriter.write(Raster(geometry: g, values: ranks), crs: f.inputs.crs, to: try folder.stage("hotspots.tif"),
                                options: .init(noData: -1, overviewResampling: "NEAREST", bandDescription: "hotspot rank (0: not a hotspot)"))
    }

    /// `gistar.tif`: Int16 Getis–Ord Gi* class per cell — 1 hot spot, −1 cold spot, 0 not
    /// significant, −128 (nodata) outside the study cells.
    static func writeGiStar(_ s: GiStarSummary, fitted f: Pipeline.Fitted, to folder: OutputFolder) throws {
        let g = f.surface.rrs.geometry
        var classes = [Int16](repeating: -128, count: g.cellCount)
        for cell in f.design.cells { classes[cell] = Int16(s.result.classes.values[cell]) }
        let description = "Getis-Ord Gi* of event counts: 1 hot spot, -1 cold spot, 0 not significant "
            + "(distance band \(InspectText.number(s.distance)) m, Benjamini-Hochberg FDR \(InspectText.number(s.falseDiscoveryRate)))"
        try GeoTIFFWriter.write(Raster(geometry: g, values: classes), crs: f.inputs.crs, to: try folder.stage("gistar.tif"),
                                options: .init(noData: -128, overviewResampling: "NEAREST", bandDescription: description))
    }

    /// Through `CSVWriter`: names and reasons come from input files and are neutralised there.
    static func csv(_ hotspots: [Hotspot], _ disclosure: Disclosure) -> String {
        CSVWriter.document(header: fields.map(\.name), rows: hotspots.map { h in
            values(h, disclosure).map { v -> CSVWriter.Field in
                switch v {
                case .integer(let i): .number(String(i))
                case .real(let d): .number(String(format: "%.6g", d))
                case .string(let s): .text(s)
                case .null: .text("")
                }
            }
        })
    }
}
