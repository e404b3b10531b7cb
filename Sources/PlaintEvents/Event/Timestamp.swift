/// A UTC instant with microsecond precision, as plaint stores `occurred_at` and `recorded_at`.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// The stored form: `YYYY-MM-DDTHH:MM:SS[.f]Z`, fraction without trailing zeros.
    public var description: String { formatted(fractionDigits: nil) }

    /// - Parameter fractionDigits: nil trims trailing zeros; 6 always prints microseconds.
    public func formatted(fractionDigits: Int?) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        append(to: &bytes, fractionDigits: fractionDigits)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the RFC 3339 UTC form as bytes (no allocation beyond `bytes` growing).
    public func append(to bytes: inout [UInt8], fractionDigits: Int? = nil) {
        let (days, remainder) = microseconds.floorDividedBy(86_400_000_000)
        let (year, month, day) = Self.civil(fromDays: days)
        let seconds = Int(remainder / 1_000_000)
        var micros = Int(remainder % 1_000_000)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                // abs: a damaged stored time far before year 0 prints as digits, never traps.
                bytes.append(UInt8(ascii: "0") + UInt8(abs(rest / divisor % 10)))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2)
        bytes.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds / 60 % 60, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(seconds % 60, 2)
        if fractionDigits == 6 || micros != 0 {
            bytes.append(UInt8(ascii: "."))
            var width = 6
            if fractionDigits != 6 {
                while micros % 10 == 0 {
                    micros /= 10
                    width -= 1
                }
            }
            digits(micros, width)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Parses RFC 3339 with the restrictions of plaint's schema: years 1900-2999, `T` and `Z` in
    /// upper case, at most six fraction digits, no leap second, offset `Z` or `±hh:mm`. The UTC
    /// value stays in 1900-2999 too: a time on 1900-01-01 takes no positive offset, one on
    /// 2999-12-31 no negative one, so whatever is accepted is stored, verified and printed in
    /// a form that is accepted again.
    public init?<Bytes: RandomAccessCollection<UInt8>>(rfc3339 b: Bytes) where Bytes.Index == Int {
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for byte in b[b.startIndex + at..<b.startIndex + at + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ at: Int, is character: Unicode.Scalar) -> Bool {
            at < b.count && b[b.startIndex + at] == UInt8(ascii: character)
        }
        func at(_ offset: Int) -> UInt8 { b[b.startIndex + offset] }
        guard let year = digits(0, 4), byte(4, is: "-"), let month = digits(5, 2), byte(7, is: "-"),
            let day = digits(8, 2), byte(10, is: "T"), let hour = digits(11, 2), byte(13, is: ":"),
            let minute = digits(14, 2), byte(16, is: ":"), let second = digits(17, 2)
        else { return nil }
        guard (1900...2999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
        else { return nil }
        var index = 19
        var micros = 0
        if byte(index, is: ".") {
            index += 1
            var count = 0
            while index < b.count, at(index) >= 0x30, at(index) <= 0x39 {
                count += 1
                guard count <= 6 else { return nil }
                micros = micros * 10 + Int(at(index) - 0x30)
                index += 1
            }
            guard count >= 1 else { return nil }
            for _ in count..<6 { micros *= 10 }
        }
        var offsetMinutes = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            let sign = at(index) == UInt8(ascii: "-") ? -1 : 1
            guard let offsetHour = digits(index + 1, 2), byte(index + 3, is: ":"),
                let offsetMinute = digits(index + 4, 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
            index += 6
        } else {
            return nil
        }
        guard index == b.count else { return nil }
        if offsetMinutes > 0, year == 1900, month == 1, day == 1 { return nil }
        if offsetMinutes < 0, year == 2999, month == 12, day == 31 { return nil }
        let days = Self.days(fromCivil: year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        microseconds = seconds * 1_000_000 + Int64(micros)
    }

    public init?(rfc3339 text: String) { self.init(rfc3339: Array(text.utf8)) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Quotient rounded toward negative infinity, and a remainder that is never negative.
    func floorDividedBy(_ divisor: Int64) -> (Int64, Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
