import PlaintSystem

/// RFC 4180 records streamed from a file with bounded memory, as re-exported copies of real
/// datasets write them: quoted fields may hold commas, doubled quotes and line breaks; a record
/// ends at a line feed outside quotes, with or without a carriage return before it. A carriage
/// return anywhere else is text: data tools leave stray ones inside tweets, and CSV readers that
/// end a record at a bare CR (CSV.swift, for one) split such rows in two. Outside RFC 4180, the
/// reader is as lenient as Python's `csv`: a quote inside an unquoted field is text.
public struct CSVRecordReader: ~Copyable {
    /// A record may not grow beyond this (a quote that is never closed would otherwise swallow
    /// the rest of the file).
    public static let maximumRecordLength = 1 << 20

    private var lines: LineReader
    private var record: [UInt8] = []
    /// The file line on which the last record returned starts.
    public private(set) var line = 0
    public var name: String { lines.name }
    /// How far into the file the records returned so far reach, in bytes.
    public var bytesConsumed: Int64 { lines.bytesConsumed }

    public init(path: String) throws(InputError) {
        lines = try LineReader(path: path)
        lines.keepsBlankLines = true
    }

    /// The next record's fields, or nil at the end of the file.
    public mutating func next() throws(CSVError) -> [String]? {
        record.removeAll(keepingCapacity: true)
        var state = QuoteState()
        var first = true
        while true {
            let next: LineReader.Next
            do { next = try lines.next() } catch { throw .input(error) }
            if case .tooLong(let number) = next {
                throw .input(.lineTooLong(path: name, line: number, limit: LineReader.maximumLineLength))
            }
            guard case .line(let number) = next else {
                if first { return nil }
                throw .unclosedQuote(path: name, line: line)
            }
            if first {
                line = number
                first = false
            } else {
                record.append(0x0A)
            }
            let start = record.count
            lines.withLine { record.append(contentsOf: $0) }
            guard record.count <= Self.maximumRecordLength else {
                throw .recordTooLong(path: name, line: line, limit: Self.maximumRecordLength)
            }
            record.withUnsafeBufferPointer { state.scan(UnsafeBufferPointer(rebasing: $0[start...])) }
            // Outside a quoted field, the line feed ended the record.
            if !state.quoted { break }
        }
        if record.last == 0x0D { record.removeLast() }
        return Self.fields(of: record)
    }

    /// Where a scan stands with respect to quoting, carried from one line to the next.
    struct QuoteState {
        var quoted = false
        /// The byte before was the quote that closed a quoted field (a second one is a literal quote).
        var justClosed = false
        var fieldEmpty = true

        mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) {
            for byte in bytes {
                if quoted {
                    if byte == 0x22 {
                        quoted = false
                        justClosed = true
                    }
                    continue
                }
                if byte == 0x22, justClosed {
                    quoted = true
                    justClosed = false
                    continue
                }
                justClosed = false
                if byte == 0x2C {
                    fieldEmpty = true
                } else {
                    if byte == 0x22, fieldEmpty { quoted = true }
                    fieldEmpty = false
                }
            }
            // A line feed inside a quoted field is text; one outside starts a new field's bytes.
            justClosed = false
        }
    }

    /// The fields of one record (its quotes balanced, its line end removed). A field is decoded
    /// straight from the record's bytes; only a quoted field with doubled quotes is copied first.
    static func fields(of record: [UInt8]) -> [String] {
        record.withUnsafeBufferPointer { bytes in
            var fields: [String] = []
            fields.reserveCapacity(8)
            var index = 0
            while true {
                if index < bytes.count, bytes[index] == 0x22 {
                    // Quoted: up to the closing quote, a doubled quote standing for one; bytes
                    // after the closing quote, up to the comma, are kept as text.
                    var field: [UInt8] = []
                    var start = index + 1
                    var scan = start
                    var closed = false
                    while scan < bytes.count {
                        if bytes[scan] == 0x22 {
                            field.append(contentsOf: bytes[start..<scan])
                            if scan + 1 < bytes.count, bytes[scan + 1] == 0x22 {
                                field.append(0x22)
                                scan += 2
                                start = scan
                                continue
                            }
                            closed = true
                            scan += 1
                            break
                        }
                        scan += 1
                    }
                    if !closed { field.append(contentsOf: bytes[start..<scan]) }
                    var end = scan
                    while end < bytes.count, bytes[end] != 0x2C { end += 1 }
                    field.append(contentsOf: bytes[scan..<end])
                    fields.append(String(decoding: field, as: UTF8.self))
                    index = end
                } else {
                    var end = index
                    while end < bytes.count, bytes[end] != 0x2C { end += 1 }
                    fields.append(String(decoding: bytes[index..<end], as: UTF8.self))
                    index = end
                }
                guard index < bytes.count else { return fields }
                index += 1  // the comma
            }
        }
    }
}

public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    case input(InputError)
    case unclosedQuote(path: String, line: Int)
    case recordTooLong(path: String, line: Int, limit: Int)

    public var description: String {
        switch self {
        case .input(let error): error.description
        case .unclosedQuote(let path, let line): "\(path):\(line): a quoted field is never closed"
        case .recordTooLong(let path, let line, let limit):
            "\(path):\(line): record longer than \(limit) bytes (a quoted field that is never closed?)"
        }
    }
}
