import Testing

@testable import PlaintEvents

@Suite("JSON parser")
struct JSONParserTests {
    @Test(arguments: [
        "{}", "[]", "\"x\"", "0", "-0", "1.5e-3", "true", "false", "null", " {\"a\" : [1, {\"b\": null}] } ",
        "\"\\u00e9\\ud83d\\ude00\\n\\\"\"", "\"é😀\"",
    ])
    func acceptsValidJSON(_ text: String) throws {
        var parser = JSONParser()
        try parser.parse(Array(text.utf8))
    }

    @Test(arguments: [
        ("", "unexpected end of input"),
        ("{", "expected a member name in double quotes"),
        ("{\"a\" 1}", "expected ':' after a member name"),
        ("[1,]", "expected a value"),
        ("01", "leading zeros are not allowed"),
        ("1.", "expected a digit after '.'"),
        ("\"a", "unterminated string"),
        ("\"a\u{01}\"", "a control character must be escaped in a string"),
        ("\"\\ud800\"", "a lone surrogate is not allowed"),
        ("\"\\udc00x\"", "a lone surrogate is not allowed"),
        ("\"\\x\"", "invalid escape sequence"),
        ("{} {}", "unexpected text after the JSON value"),
        ("nul", "expected a value"),
        ("'a'", "expected a value"),
    ])
    func rejectsInvalidJSON(_ text: String, reason: String) {
        var parser = JSONParser()
        #expect(throws: JSONSyntaxError.self) { try parser.parse(Array(text.utf8)) }
        do {
            try parser.parse(Array(text.utf8))
        } catch {
            #expect(error.reason == reason)
        }
    }

    @Test func rejectsInvalidUTF8() {
        var parser = JSONParser()
        for bytes: [UInt8] in [
            [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
        ] {
            #expect(throws: JSONSyntaxError.self) { try parser.parse(bytes) }
        }
    }

    @Test func rejectsNestingBeyondTheLimit() {
        var parser = JSONParser()
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { try parser.parse(Array(deep.utf8)) }
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parser.parse(Array(allowed.utf8)) }
    }

    @Test func decodesEscapesAndCountsCharacters() throws {
        var parser = JSONParser()
        try parser.parse(Array("{\"k\":\"a\\u00e9\\ud83d\\ude00\"}".utf8))
        let tape = parser.tape
        let value = try #require(tape.member("k", of: 0))
        #expect(tape.string(value) == "aé😀")
        #expect(tape[value].extra == 3)
    }
}
