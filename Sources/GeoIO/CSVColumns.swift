/// Which CSV columns hold the coordinates, and in which CRS they are by default.
///
/// data.police.uk street-level crime files (Crime ID, Month, Reported by, Falls within,
/// Longitude, Latitude, Location, LSOA code, LSOA name, Crime type, Last outcome category,
/// Context) are recognised by their header and need no configuration.
struct CSVColumns {
    let x: String
    let y: String
    /// EPSG:4326 for longitude/latitude columns; nil (the spec must say) for x/y or eastings.
    let defaultCRS: CRS?
    let notes: [String]

    static let policeUKColumns = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                                  "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"]

    /// Name pairs tried in order when the spec names no columns; the flag says "geographic".
    static let knownPairs: [(String, String, Bool)] = [
        ("longitude", "latitude", true), ("lon", "lat", true), ("long", "lat", true), ("lng", "lat", true),
        ("x", "y", false), ("easting", "northing", false), ("east", "north", false),
    ]

    static func isPoliceUK(_ fields: [String]) -> Bool {
        let lower = Set(fields.map { $0.lowercased() })
        return ["crime id", "month", "longitude", "latitude", "crime type"].allSatisfy(lower.contains)
    }

    static func detect(fields: [String], query: VectorQuery, path: String) throws -> CSVColumns {
        var notes: [String] = []
        if isPoliceUK(fields) { notes.append("recognised as a data.police.uk street-level crime CSV") }
        if query.xColumn != nil || query.yColumn != nil {
            guard let xName = query.xColumn, let yName = query.yColumn else {
                throw GeoDataError.noCoordinateColumns(path: path, columns: fields)
            }
            guard let x = NameMatching.match(xName, in: fields) else {
                throw GeoDataError.noSuchColumn(path: path, column: xName, columns: fields)
            }
            guard let y = NameMatching.match(yName, in: fields) else {
                throw GeoDataError.noSuchColumn(path: path, column: yName, columns: fields)
            }
            let geographic = knownPairs.contains { $0.2 && ($0.0 == x.lowercased() || $0.1 == y.lowercased()) }
            return CSVColumns(x: x, y: y, defaultCRS: geographic ? try CRS.wgs84 : nil, notes: notes)
        }
        for (xName, yName, geographic) in knownPairs {
            if let x = fields.first(where: { $0.lowercased() == xName }),
               let y = fields.first(where: { $0.lowercased() == yName }) {
                notes.append("coordinates from columns '\(x)' and '\(y)'")
                return CSVColumns(x: x, y: y, defaultCRS: geographic ? try CRS.wgs84 : nil, notes: notes)
            }
        }
        throw GeoDataError.noCoordinateColumns(path: path, columns: fields)
    }
}
