import PlaintEvents

/// When a brand's tweet asks the customer to move elsewhere (DESIGN section 7's `kind: redirect`),
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
        let lowered = text.lowercased().replacingOccurrences(of: "\u{2019}", with: "'")
        let words = words(in: lowered)
        if words.contains(where: { $0 == "dm" || $0 == "dms" }) || containsAny(lowered, dmPhrases) { return .dm }
        if containsAny(lowered, emailPhrases) || hasEmailAddress(lowered) { return .email }
        if containsAny(lowered, phonePhrases) || hasPhoneNumber(lowered) { return .phone }
        return nil
    }

    static let dmPhrases = [
        "d.m.", "direct message", "direct msg", "private message", "private msg", "pm us", "pm me",
        "message us privately", "inbox us",
    ]
    static let emailPhrases = [
        "email us", "e-mail us", "mail us", "email address", "drop us an email", "send us an email",
        "drop us an e-mail", "send us an e-mail",
    ]
    static let phonePhrases = [
        "call us", "give us a call", "phone us", "ring us", "call our", "our helpline", "hotline",
        "call the number",
    ]

    static func containsAny(_ text: String, _ phrases: [String]) -> Bool {
        phrases.contains { text.contains($0) }
    }

    /// Runs of letters and digits.
    static func words(in text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber) }
    }

    /// `name@host.tld`: letters, digits or `._%+-` on the left, a dot in the host.
    static func hasEmailAddress(_ text: String) -> Bool {
        let characters = Array(text)
        for (index, character) in characters.enumerated() where character == "@" {
            let before = index > 0 ? characters[index - 1] : " "
            guard before.isLetter || before.isNumber || "._%+-".contains(before) else { continue }
            let host = characters[(index + 1)...].prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }
            if let dot = host.firstIndex(of: "."), dot > index + 1, dot < index + host.count { return true }
        }
        return false
    }

    /// Ten or more digits with only spaces, dots, dashes, parentheses or a `+` between them
    /// (`1-800-275-2273`, `0800 123 4567`): a phone number. Dates (8 digits) and most order
    /// numbers fall short.
    static func hasPhoneNumber(_ text: String) -> Bool {
        var digits = 0
        for character in text {
            if character.isASCII, character.isNumber {
                digits += 1
                if digits >= 10 { return true }
            } else if !" .-()+".contains(character) {
                digits = 0
            }
        }
        return false
    }
}
