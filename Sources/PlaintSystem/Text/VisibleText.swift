/// Text from the store made safe to show: control characters and bidirectional controls are
/// written as `\uXXXX` escapes, so a complaint's text cannot move a terminal's cursor, retitle
/// its window, reorder what a reader sees, or make an HTML page ill-formed XML.
///
/// The escapes are JSON's: inside a JSON document they stand for the same characters, so the
/// document keeps its meaning. Line feeds and tabs are kept; they are the output's own layout.
public enum VisibleText {
    /// `text` with every C0 control but line feed and tab, DEL, every C1 control, every
    /// bidirectional control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the
    /// noncharacters U+FFFE and U+FFFF (which XML does not allow) escaped.
    public static func escapingControls(_ text: String) -> String {
        guard text.utf8.contains(where: mayStartControl) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result += escape(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether a UTF-8 byte can begin one of the escaped characters: a cheap test that lets
    /// most text through untouched.
    package static func mayStartControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x0A && byte != 0x09) || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2
            || byte == 0xEF
    }

    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    package static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
