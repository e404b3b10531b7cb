import Testing

@testable import PlaintEvents

@Suite("RFC 8785 canonical form")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        var parser = JSONParser()
        try parser.parse(Array(text.utf8))
        var writer = CanonicalJSONWriter()
        var out: [UInt8] = []
        try writer.write(parser.tape, node: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [
        ("{ \"b\" : 1, \"a\" : [ true , null ] }", "{\"a\":[true,null],\"b\":1}"),
        ("{\"z\":{\"y\":1,\"x\":2}}", "{\"z\":{\"x\":2,\"y\":1}}"),
        ("\"\\u0041\\/\\u001f\\u007f\"", "\"A/\\u001f\u{7f}\""),
        ("\"\\b\\f\\n\\r\\t\\\"\\\\\"", "\"\\b\\f\\n\\r\\t\\\"\\\\\""),
        ("-0", "0"),
        ("1.0", "1"),
        ("1e2", "100"),
        ("0.000001", "0.000001"),
        ("0.0000001", "1e-7"),
        ("1e21", "1e+21"),
        ("123456789012345678901", "123456789012345680000"),
        ("4.50", "4.5"),
        ("-1.5E-10", "-1.5e-10"),
        ("9007199254740993", "9007199254740992"),
    ])
    func canonicalizes(_ input: String, _ expected: String) throws {
        #expect(try canonical(input) == expected)
    }

    /// RFC 8785 section 3.2.3: names sort by UTF-16 code units, so U+1F600 (a surrogate pair
    /// starting 0xD83D) sorts before U+FB33, although its UTF-8 bytes are larger.
    @Test func sortsNamesByUTF16CodeUnits() throws {
        let output = try canonical("{\"\u{FB33}\":1,\"\u{1F600}\":2,\"\\r\":3,\"1\":4,\"\u{80}\":5,\"ö\":6}")
        #expect(output == "{\"\\r\":3,\"1\":4,\"\u{80}\":5,\"ö\":6,\"\u{1F600}\":2,\"\u{FB33}\":1}")
    }

    @Test func rejectsDuplicateNames() {
        #expect(throws: DuplicateMemberError(name: "a")) { try canonical("{\"a\":1,\"b\":2,\"a\":1}") }
        #expect(throws: DuplicateMemberError(name: "x")) { try canonical("[{\"x\":1,\"x\":2}]") }
    }

    @Test(arguments: [
        (0.1, "0.1"), (100.0, "100"), (1e-7, "1e-7"), (1.5e300, "1.5e+300"), (123.456, "123.456"),
        (-0.0, "0"), (Double.leastNonzeroMagnitude, "5e-324"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (0.000001, "0.000001"),
    ])
    func formatsNumbersLikeECMAScript(_ value: Double, _ expected: String) {
        #expect(ECMAScriptNumber.format(value) == expected)
    }
}
