import Testing
@testable import GeoIO

@Suite struct AttributeFilterTests {
    let fields = ["Crime type", "Month", "LSOA name", "reason"]

    @Test func mapsForgivingNamesToQuotedColumns() {
        #expect(AttributeFilter.rewrite("crime_type = 'Violence and sexual offences'", fields: fields)
                == "\"Crime type\" = 'Violence and sexual offences'")
        #expect(AttributeFilter.rewrite("\"crime type\" IN ('A', 'B') AND month >= '2024-01'", fields: fields)
                == "\"crime type\" IN ('A', 'B') AND month >= '2024-01'")  // OGR matches names case-insensitively
        #expect(AttributeFilter.rewrite("lsoa_name LIKE 'Haringey%'", fields: fields) == "\"LSOA name\" LIKE 'Haringey%'")
    }

    @Test func leavesLiteralsAndKeywordsAlone() {
        #expect(AttributeFilter.rewrite("reason = 'crime_type isn''t here' OR reason IS NULL", fields: fields)
                == "reason = 'crime_type isn''t here' OR reason IS NULL")
        #expect(AttributeFilter.rewrite("unknown_column = 1", fields: fields) == "unknown_column = 1")
    }
}
