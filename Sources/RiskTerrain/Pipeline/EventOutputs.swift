import Foundation
import GeoIO

/// `events.gpkg` and `streetsafe_reports.gpkg`: the points the model counted, in the analysis
/// CRS, written only when asked (`rtm run --include-events`) — they locate victims, so every
/// other output aggregates them (DESIGN.md, "Sensitive data"). Each point keeps its time field
/// and, for StreetSafe reports, the reason given; nothing else from the source rows.
enum EventOutputs {
    static func write(_ inputs: StudyInputs, to folder: OutputFolder) throws {
        try write(inputs.outcome, timeField: inputs.spec.outcome.time?.field, layer: "events", to: folder)
        if let reports = inputs.streetSafe {
            try write(reports, timeField: inputs.spec.streetSafe?.time?.field, layer: "streetsafe_reports", extra: "reason", to: folder)
        }
    }

    static func write(_ set: FeatureSet, timeField: String?, layer: String, extra: String? = nil, to folder: OutputFolder) throws {
        let columns = [timeField, extra].compactMap { $0 }.filter { set.attributes[$0] != nil }
        let features = set.geometries.indices.map { i in
            OutputFeature(geometry: set.geometries[i], values: columns.map { c in set.attributes[c]![i].map { .string($0) } ?? .null })
        }
        try VectorWriter.write(features, fields: columns.map { OutputField($0, .string) }, layerName: layer, crs: set.crs,
                               to: try folder.stage("\(layer).gpkg"), format: .geoPackage)
    }
}
