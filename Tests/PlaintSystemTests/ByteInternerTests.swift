import PlaintSystem
import Testing

@Suite("byte interner")
struct ByteInternerTests {
    @Test("numbers names densely in first-seen order and finds them again after growing")
    func numbersDensely() {
        var interner = ByteInterner()
        let names = (0..<5_000).map { Array("name-\($0 * 7919 % 5_000)".utf8) } + [[], Array("name-1".utf8)]
        var expected: [[UInt8]: Int] = [:]
        for name in names {
            let (number, isNew) = interner.number(of: name)
            #expect(isNew == (expected[name] == nil))
            if isNew { expected[name] = expected.count }
            #expect(number == expected[name])
        }
        #expect(interner.count == expected.count)
        for (name, number) in expected {
            #expect(interner.existingNumber(of: name) == number)
            #expect(interner.name(number) == name)
        }
        #expect(interner.existingNumber(of: Array("name-5000".utf8)) == nil)
    }
}
