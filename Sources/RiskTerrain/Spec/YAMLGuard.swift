/// Refuses, before any YAML is composed, the documents that make a YAML library blow up: anchors
/// and aliases ("billion laughs": nine aliases of nine aliases … expand to 10⁹ nodes, and an
/// aliased node used as a mapping key is hashed in full by the composer), nesting deeper than a
/// spec ever needs (the composer recurses once per level and would overflow the stack), and
/// files far larger than a spec.
///
/// A lexical scan, one pass, O(n) in the text: it tracks where a YAML node may start (line starts,
/// after `- `, `? `, `: `, and inside flow collections after `[`, `{`, `,`) and skips quoted
/// scalars, plain scalars, comments and block scalars (`|`, `>`), so `&` or `*` inside text (an
/// OGR `where` clause, a file name) is not mistaken for an anchor. It errs on the side of refusing:
/// a continuation line of a multi-line plain scalar that starts with `&name` is refused too.
/// Reference: YAML 1.1 §§ 4.3 (node anchors), 9.1 (block/flow structure); libyaml's scanner.
enum YAMLGuard {
    /// A spec is a few kilobytes; a megabyte is far beyond any real one.
    static let maximumBytes = 1_000_000
    /// Nesting levels (indents, block indicators and flow brackets); a spec uses about 4.
    static let maximumDepth = 64

    enum Problem: Equatable {
        case tooLarge(bytes: Int)
        case anchorOrAlias(line: Int, text: String)
        case tooDeep(line: Int)
    }

    static func check(_ text: String) -> Problem? {
        let bytes = Array(text.utf8)
        if bytes.count > maximumBytes { return .tooLarge(bytes: bytes.count) }
        var i = 0, line = 1
        var flowDepth = 0
        var expectingNode = true      // a node may start at the next non-blank character
        var lineIndent = 0, atLineStart = true, blockIndicatorsOnLine = 0
        var blockScalarIndent: Int?   // inside a `|`/`>` block scalar opened on a line of this indent
        var indents: [Int] = []       // indents of the open block levels
        let n = bytes.count
        func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        func isBreak(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
        func isBlankOrEnd(_ j: Int) -> Bool { j >= n || isBlank(bytes[j]) || isBreak(bytes[j]) }

        while i < n {
            let c = bytes[i]
            if isBreak(c) {
                if c == 0x0A { line += 1 }
                i += 1
                atLineStart = true
                lineIndent = 0
                blockIndicatorsOnLine = 0
                if flowDepth == 0 { expectingNode = true }
                continue
            }
            if atLineStart {
                // measure the indent; block-scalar content is everything indented deeper
                var j = i
                while j < n, bytes[j] == 0x20 { j += 1 }
                lineIndent = j - i
                atLineStart = false
                if let open = blockScalarIndent {
                    let blankLine = j >= n || isBreak(bytes[j])
                    if blankLine || lineIndent > open {
                        while i < n, !isBreak(bytes[i]) { i += 1 }
                        continue
                    }
                    blockScalarIndent = nil
                }
                i = j
                // the block structure's depth: one level per deeper indent still open
                if flowDepth == 0, j < n, !isBreak(bytes[j]), bytes[j] != UInt8(ascii: "#") {
                    while let top = indents.last, top >= lineIndent { indents.removeLast() }
                    indents.append(lineIndent)
                    if indents.count > maximumDepth { return .tooDeep(line: line) }
                }
                continue
            }
            if isBlank(c) { i += 1; continue }
            if c == UInt8(ascii: "#") {             // a comment runs to the end of the line
                while i < n, !isBreak(bytes[i]) { i += 1 }
                continue
            }
            if expectingNode {
                switch c {
                case UInt8(ascii: "&"), UInt8(ascii: "*"):
                    var j = i + 1
                    while j < n, !isBlankOrEnd(j), !",[]{}".utf8.contains(bytes[j]) { j += 1 }
                    return .anchorOrAlias(line: line, text: String(decoding: bytes[i..<min(j, i + 40)], as: UTF8.self))
                case UInt8(ascii: "-") where isBlankOrEnd(i + 1), UInt8(ascii: "?") where isBlankOrEnd(i + 1),
                     UInt8(ascii: ":") where isBlankOrEnd(i + 1):
                    blockIndicatorsOnLine += 1
                    if indents.count + blockIndicatorsOnLine + flowDepth > maximumDepth { return .tooDeep(line: line) }
                    i += 1
                    continue
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if indents.count + flowDepth + blockIndicatorsOnLine > maximumDepth { return .tooDeep(line: line) }
                    i += 1
                    continue
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                    expectingNode = false
                    i += 1
                    continue
                case UInt8(ascii: ","):
                    i += 1
                    continue
                case UInt8(ascii: "!"):               // a tag: skip it, the node follows
                    while i < n, !isBlankOrEnd(i) { i += 1 }
                    continue
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    i = skipQuoted(bytes, from: i, line: &line)
                    expectingNode = false
                    continue
                case UInt8(ascii: "|") where flowDepth == 0, UInt8(ascii: ">") where flowDepth == 0:
                    blockScalarIndent = lineIndent
                    while i < n, !isBreak(bytes[i]) { i += 1 }
                    continue
                default:
                    expectingNode = false            // a plain scalar starts here
                    continue
                }
            }
            // Inside a plain scalar or after a complete node: look for what ends it.
            switch c {
            case UInt8(ascii: ":") where isBlankOrEnd(i + 1) || flowDepth > 0:
                expectingNode = true
            case UInt8(ascii: ",") where flowDepth > 0:
                expectingNode = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if flowDepth > 0 { flowDepth -= 1 }
            case UInt8(ascii: "#") where i > 0 && isBlank(bytes[i - 1]):
                while i < n, !isBreak(bytes[i]) { i += 1 }
                continue
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// The index just past a quoted scalar starting at `start` (or the end of the text).
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, line: inout Int) -> Int {
        let quote = bytes[start]
        var i = start + 1
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0A { line += 1 }
            if quote == UInt8(ascii: "\""), c == UInt8(ascii: "\\") { i += 2; continue }
            if c == quote {
                if quote == UInt8(ascii: "'"), i + 1 < bytes.count, bytes[i + 1] == quote { i += 2; continue }   // '' escapes '
                return i + 1
            }
            i += 1
        }
        return i
    }
}
