/// UTC calendar arithmetic for grouping by day, week and month, and for date-only arguments.
extension Timestamp {
    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerMinute: Int64 = 60_000_000
    public static let microsecondsPerHour: Int64 = 3_600_000_000
    public static let microsecondsPerDay: Int64 = 86_400_000_000

    /// Midnight UTC of `year-month-day`, or nil for a date that does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.init(microseconds: Int64(Self.days(fromCivil: year, month, day)) * Self.microsecondsPerDay)
    }

    /// A date `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 time.
    public init?(dateOrTime text: String) {
        let bytes = Array(text.utf8)
        if bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Int(String(text.prefix(4))), let month = Int(String(text.dropFirst(5).prefix(2))),
            let day = Int(String(text.suffix(2)))
        {
            self.init(year: year, month: month, day: day)
        } else {
            self.init(rfc3339: bytes)
        }
    }

    /// The UTC date: (year, month, day).
    public var civilDate: (year: Int, month: Int, day: Int) {
        Self.civil(fromDays: microseconds.floorDividedBy(Self.microsecondsPerDay).0)
    }

    /// Midnight UTC of this instant's day.
    public var startOfDay: Timestamp {
        Timestamp(microseconds: microseconds.floorDividedBy(Self.microsecondsPerDay).0 * Self.microsecondsPerDay)
    }

    /// Midnight UTC of the Monday that starts this instant's ISO week.
    public var startOfWeek: Timestamp {
        let days = microseconds.floorDividedBy(Self.microsecondsPerDay).0
        // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
        let sinceMonday = (days + 3).floorDividedBy(7).1
        return Timestamp(microseconds: (days - sinceMonday) * Self.microsecondsPerDay)
    }

    /// Midnight UTC of the first day of this instant's month.
    public var startOfMonth: Timestamp {
        let date = civilDate
        return Timestamp(year: date.year, month: date.month, day: 1)!
    }

    /// Day of the week, 0 = Monday ... 6 = Sunday, and hour 0-23, in UTC.
    public var hourOfWeek: (weekday: Int, hour: Int) {
        let (days, remainder) = microseconds.floorDividedBy(Self.microsecondsPerDay)
        return (Int((days + 3).floorDividedBy(7).1), Int(remainder / Self.microsecondsPerHour))
    }
}
