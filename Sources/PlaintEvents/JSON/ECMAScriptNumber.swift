/// Formats a double the way ECMAScript's `Number.prototype.toString` does, as RFC 8785 requires.
///
/// Swift's `description` already yields the shortest digits that round-trip (the same digits
/// ECMAScript picks); only the layout differs (`100.0` vs `100`, `1e-07` vs `1e-7`).
public enum ECMAScriptNumber {
    public static func format(_ value: Double) -> String {
        if value == 0 { return "0" }  // also -0
        if value.isNaN || value.isInfinite { return "null" }  // unreachable from JSON input
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [Character] = []
        var pointPosition = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { pointPosition += 1 }
            }
        }
        pointPosition += exponent
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        let k = digits.count
        let n = pointPosition
        var result = value < 0 ? "-" : ""
        if k <= n && n <= 21 {
            result += String(digits) + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result += String(digits[..<n]) + "." + String(digits[n...])
        } else if -6 < n && n <= 0 {
            result += "0." + String(repeating: "0", count: -n) + String(digits)
        } else {
            let power = n - 1
            result += String(digits[0])
            if k > 1 { result += "." + String(digits[1...]) }
            result += "e" + (power < 0 ? "-" : "+") + String(power.magnitude)
        }
        return result
    }
}
