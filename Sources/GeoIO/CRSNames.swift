/// What a user probably meant by a CRS name PROJ does not know: the names people write for the
/// coordinate systems a UK police analyst meets ("BNG", "WGS84", "Web Mercator"), a bare EPSG
/// number, and misspelt authorities ("ESPG:27700").
enum CRSNames {
    /// Common names → the EPSG code and its name, matched after folding case, spaces and punctuation.
    static let aliases: [(names: [String], code: String, title: String)] = [
        (["bng", "osgb", "osgb36", "osgb1936", "britishnationalgrid", "nationalgrid", "ukgrid", "osgrid", "ordnancesurvey"],
         "EPSG:27700", "British National Grid"),
        (["wgs84", "wgs1984", "latlon", "lonlat", "latlong", "longlat", "gps", "geographic", "degrees", "crs84"],
         "EPSG:4326", "WGS 84 longitude/latitude"),
        (["webmercator", "pseudomercator", "googlemercator", "google", "mercator", "900913", "epsg900913", "osm"],
         "EPSG:3857", "WGS 84 / Pseudo-Mercator"),
        (["itm", "irishtransversemercator"], "EPSG:2157", "Irish Transverse Mercator"),
        (["irishgrid", "tm65"], "EPSG:29903", "TM75 / Irish Grid"),
        (["etrs89", "etrslaea", "laea", "europe"], "EPSG:3035", "ETRS89-extended / LAEA Europe"),
        (["utm30", "utm30n", "utmzone30n", "wgs84utm30n"], "EPSG:32630", "WGS 84 / UTM zone 30N"),
        (["utm31", "utm31n", "utmzone31n", "wgs84utm31n"], "EPSG:32631", "WGS 84 / UTM zone 31N"),
    ]

    /// "EPSG:27700 (British National Grid)" for "BNG", "EPSG:27700" for "27700" or "ESPG:27700"; nil
    /// when nothing is close.
    static func suggestion(for input: String) -> String? {
        let folded = String(input.lowercased().filter { $0.isLetter || $0.isNumber })
        if let hit = aliases.first(where: { $0.names.contains(folded) }) { return "\(hit.code) (\(hit.title))" }
        // a bare code, or an authority misspelt or unseparated: epsg27700, espg27700, epgs:27700
        let digits = folded.drop(while: { $0.isLetter })
        let letters = folded.prefix(while: { $0.isLetter })
        if !digits.isEmpty, digits.allSatisfy(\.isNumber), digits.count <= 6,
           letters.isEmpty || NameMatching.editDistance(Array(letters), Array("epsg")) <= 2 {
            let code = "EPSG:\(digits)"
            if let hit = aliases.first(where: { $0.code == code }) { return "\(code) (\(hit.title))" }
            return code
        }
        return nil
    }
}
