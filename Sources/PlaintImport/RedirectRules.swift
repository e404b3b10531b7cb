import Glibc
import PlaintEvents

/// When a brand's tweet asks the customer to move elsewhere (`kind: redirect`),
/// and where to: a documented rule set, not one keyword. The text is lowercased, its curly
/// apostrophes made straight, and read word by word; the first rule that matches decides.
///
/// - `dm`: "dm" or "dms" as a word ("DM us", "send us a DM", "check your DMs"), "d.m.", "direct message", "direct msg", "private message", "private msg", "pm us",
///   "pm me", "message us privately", "inbox us".
/// - `email`: "email us", "e-mail us", "mail us", "email address", "drop us an email", "send us
///   an email", "reach us at" or "contact us at" followed by an address, or any address itself
///   (`someone@example.com`).
/// - `phone`: "call us", "give us a call", "phone us", "ring us", "call our", "our helpline",
///   "hotline", "call the number", or a phone number (10 or more digits, with spaces, dots,
///   dashes or parentheses between them).
///
/// A tweet that only reports a move already made ("we've replied to your DM", "check your
/// DMs") still asks the customer to continue there, so it counts too: the clock of the public
/// thread stops either way.
public enum RedirectRules {
    public static func destination(of text: String) -> Channel? {
        let folded = fold(text)
        return folded.withUnsafeBufferPointer { text -> Channel? in
            if hasWord(text, "dm") || hasWord(text, "dms") || containsAny(text, dmPhrases) { return .dm }
            if containsAny(text, emailPhrases) || hasEmailAddress(text) { return .email }
            if containsAny(text, phonePhrases) || hasPhoneNumber(text) { return .phone }
            return nil
        }
    }

    static let dmPhrases = phrases(
        "d.m.", "direct message", "direct msg", "private message", "private msg", "pm us", "pm me",
        "message us privately", "inbox us")
    static let emailPhrases = phrases(
        "email us", "e-mail us", "mail us", "email address", "drop us an email", "send us an email",
        "drop us an e-mail", "send us an e-mail")
    static let phonePhrases = phrases(
        "call us", "give us a call", "phone us", "ring us", "call our", "our helpline", "hotline",
        "call the number")

    private static func phrases(_ phrases: String...) -> [[UInt8]] { phrases.map { Array($0.utf8) } }

    /// The rules read ASCII, so the text is folded to one byte per character: ASCII lowercased,
    /// a curly apostrophe made straight, any other letter or digit `letter`, anything else `other`.
    /// Matching bytes is what makes the rules cheap enough for millions of tweets.
    static func fold(_ text: String) -> [UInt8] {
        var folded: [UInt8] = []
        folded.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                folded.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
            } else if scalar == "\u{2019}" {
                folded.append(0x27)
            } else {
                let properties = scalar.properties
                folded.append(properties.isAlphabetic || properties.numericType != nil ? letter : other)
            }
        }
        return folded
    }

    /// Stands for a non-ASCII letter or digit in folded text.
    static let letter: UInt8 = 0x80
    /// Stands for any other non-ASCII character.
    static let other: UInt8 = 0x81

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == letter
    }

    private static func containsAny(_ text: UnsafeBufferPointer<UInt8>, _ phrases: [[UInt8]]) -> Bool {
        phrases.contains { phrase in phrase.withUnsafeBufferPointer { contains(text, $0) } }
    }

    /// Whether `phrase` occurs in `text` (glibc's `memmem` is not exported to Swift).
    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ phrase: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = phrase.first, phrase.count <= text.count else { return false }
        var start = 0
        let last = text.count - phrase.count
        while start <= last {
            guard let found = memchr(text.baseAddress! + start, Int32(first), last - start + 1) else { return false }
            start = text.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if memcmp(text.baseAddress! + start, phrase.baseAddress!, phrase.count) == 0 { return true }
            start += 1
        }
        return false
    }

    /// `word` as a whole run of letters and digits.
    private static func hasWord(_ text: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard length <= text.count else { return false }
        var start = 0
        while start + length <= text.count {
            if start == 0 || !isWordByte(text[start - 1]),
                memcmp(text.baseAddress! + start, word.utf8Start, length) == 0,
                start + length == text.count || !isWordByte(text[start + length])
            {
                return true
            }
            start += 1
        }
        return false
    }

    /// `name@host.tld`: letters, digits or `._%+-` on the left, a dot in the host.
    private static func hasEmailAddress(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let local = Array("._%+-".utf8)
        for index in text.indices where text[index] == UInt8(ascii: "@") {
            guard index > 0, isWordByte(text[index - 1]) || local.contains(text[index - 1]) else { continue }
            var end = index + 1
            var dot: Int?
            while end < text.count,
                isWordByte(text[end]) || text[end] == UInt8(ascii: ".") || text[end] == UInt8(ascii: "-")
            {
                if text[end] == UInt8(ascii: "."), dot == nil { dot = end }
                end += 1
            }
            if let dot, dot > index + 1, dot < end - 1 { return true }
        }
        return false
    }

    /// Ten or more digits with only spaces, dots, dashes, parentheses or a `+` between them
    /// (`1-800-275-2273`, `0800 123 4567`): a phone number. Dates (8 digits) and most order
    /// numbers fall short.
    private static func hasPhoneNumber(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let separators = Array(" .-()+".utf8)
        var digits = 0
        for byte in text {
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                if digits >= 10 { return true }
            } else if !separators.contains(byte) {
                digits = 0
            }
        }
        return false
    }
}
