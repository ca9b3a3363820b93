/// A 5×7 pixel font for the few labels a quick-look map needs (numbers, "RRS", "km", "N"),
/// so maps carry their legend without a font library.
enum BitmapFont {
    static let width = 5, height = 7
    private static let glyphs: [Character: [UInt8]] = [
        "0": [0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110],
        "1": [0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        "2": [0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111],
        "3": [0b11111, 0b00010, 0b00100, 0b00010, 0b00001, 0b10001, 0b01110],
        "4": [0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010],
        "5": [0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110],
        "6": [0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110],
        "7": [0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000],
        "8": [0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110],
        "9": [0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100],
        ".": [0, 0, 0, 0, 0, 0b01100, 0b01100],
        "-": [0, 0, 0, 0b11111, 0, 0, 0],
        "k": [0b10000, 0b10000, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010],
        "m": [0, 0, 0b11010, 0b10101, 0b10101, 0b10001, 0b10001],
        "R": [0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001],
        "S": [0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110],
        "N": [0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001, 0b10001],
        " ": [0, 0, 0, 0, 0, 0, 0],
        "*": [0, 0b00100, 0b10101, 0b01110, 0b10101, 0b00100, 0],
        "G": [0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111],
        "c": [0, 0, 0b01110, 0b10000, 0b10000, 0b10001, 0b01110],
        "d": [0b00001, 0b00001, 0b01101, 0b10011, 0b10001, 0b10001, 0b01111],
        "h": [0b10000, 0b10000, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
        "i": [0b00100, 0, 0b01100, 0b00100, 0b00100, 0b00100, 0b01110],
        "l": [0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110],
        "n": [0, 0, 0b10110, 0b11001, 0b10001, 0b10001, 0b10001],
        "o": [0, 0, 0b01110, 0b10001, 0b10001, 0b10001, 0b01110],
        "s": [0, 0, 0b01110, 0b10000, 0b01110, 0b00001, 0b11110],
        "t": [0b01000, 0b01000, 0b11100, 0b01000, 0b01000, 0b01001, 0b00110],
    ]

    /// Whether every character has a glyph.
    static func canDraw(_ text: String) -> Bool { text.allSatisfy { glyphs[$0] != nil } }

    /// Pixel width of `text` at `scale`.
    static func measure(_ text: String, scale: Int) -> Int { text.count * (width + 1) * scale - scale }

    /// The lit pixels of `text` with its top-left at (x, y).
    static func pixels(_ text: String, x: Int, y: Int, scale: Int) -> [(x: Int, y: Int)] {
        var out: [(Int, Int)] = []
        for (i, ch) in text.enumerated() {
            guard let rows = glyphs[ch] else { preconditionFailure("no glyph for '\(ch)'") }
            for (r, bits) in rows.enumerated() {
                for c in 0..<width where bits >> UInt8(width - 1 - c) & 1 == 1 {
                    for dy in 0..<scale { for dx in 0..<scale {
                        out.append((x + (i * (width + 1) + c) * scale + dx, y + r * scale + dy))
                    } }
                }
            }
        }
        return out
    }
}
