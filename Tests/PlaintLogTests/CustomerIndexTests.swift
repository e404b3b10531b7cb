import PlaintTestSupport
import Testing

@testable import PlaintEvents
@testable import PlaintLog

/// The customer index is keyed by epoch and customer since format 2 (`CustomerKeys`); a store of
/// format 1 keeps its own keys. Either way the index must answer the same questions.
@Suite("The customer index, by epoch and in format 1")
struct CustomerIndexTests {
    let directory = TemporaryDirectory()
    var factory = EventFactory()

    /// Three epochs and a bit: customer `c<n % 7>` at position n, and "rare" at three places,
    /// one of them the first position of an epoch and one the last of another.
    static let count = 3 * Int(CustomerKeys.epochSize) + 100
    static let rarePositions: [UInt64] = [5, CustomerKeys.epochSize, 2 * CustomerKeys.epochSize + 1]

    mutating func fill(_ log: EventLog) throws {
        var batch: [PreparedEvent] = []
        for position in 1...UInt64(Self.count) {
            let customer = Self.rarePositions.contains(position) ? "rare" : "c\(position % 7)"
            batch.append(factory.event(id: "e\(position)", caseID: "k\(position % 50)", customer: customer))
            if batch.count == 2_000 {
                _ = try log.append(batch)
                batch.removeAll()
            }
        }
        _ = try log.append(batch)
    }

    func positions(of customer: String, in log: EventLog, from: UInt64 = 1) throws -> [UInt64] {
        try log.read { reader in
            var found: [UInt64] = []
            try reader.forEachPosition(in: .customer, key: Array(customer.utf8), from: from) {
                found.append($0)
                return true
            }
            return found
        }
    }

    func check(_ log: EventLog) throws {
        #expect(try positions(of: "rare", in: log) == Self.rarePositions)
        #expect(try positions(of: "rare", in: log, from: 6) == Array(Self.rarePositions.dropFirst()))
        #expect(try positions(of: "rare", in: log, from: UInt64(Self.count)) == [])
        let expectedC3 = (1...UInt64(Self.count)).filter { $0 % 7 == 3 && !Self.rarePositions.contains($0) }
        #expect(try positions(of: "c3", in: log) == expectedC3)
        #expect(try positions(of: "c3", in: log, from: 10_000) == expectedC3.filter { $0 >= 10_000 })
        #expect(try positions(of: "nobody", in: log) == [])
        try log.read { reader in
            #expect(try reader.count(in: .customer, key: Array("rare".utf8)) == 3)
            #expect(try reader.count(in: .customer, key: Array("c3".utf8)) == expectedC3.count)
            #expect(try reader.contains(.customer, key: Array("rare".utf8), position: CustomerKeys.epochSize))
            #expect(try !reader.contains(.customer, key: Array("rare".utf8), position: CustomerKeys.epochSize + 1))
            var customers: [String: Int] = [:]
            try reader.forEachKey(in: .customer) { key, count in
                #expect(customers[String(decoding: key, as: UTF8.self)] == nil, "each customer once")
                customers[String(decoding: key, as: UTF8.self)] = count
            }
            #expect(customers.count == 8)
            #expect(customers["rare"] == 3 && customers["c3"] == expectedC3.count)
            #expect(customers.values.reduce(0, +) == Self.count)
        }
        #expect(try log.statistics().customers == 8)
        #expect(try log.verify().isIntact)
    }

    @Test mutating func aNewStoreKeysCustomersByEpochAndFindsThemInEveryEpoch() throws {
        let log = try EventLog(path: directory.child("store"), access: .write)
        #expect(log.format == 2)
        try fill(log)
        // The postings really are spread over the epochs: one key per epoch for "rare".
        let keys = try log.read { reader in
            var keys = 0
            try reader.forEachPosting(in: .customer) { key, _ in
                let isRare = key.withUnsafeBytes {
                    log.databases.customerKeys.customerPart(of: $0).elementsEqual("rare".utf8)
                }
                if isRare { keys += 1 }
                return true
            }
            return keys
        }
        #expect(keys == 3)
        try check(log)
    }

    @Test mutating func aFormatOneStoreIsStillReadAndAppendedToInItsOwnFormat() throws {
        let path = directory.child("store")
        var options = EventLog.Options()
        options.newStoreFormat = 1
        do {
            let log = try EventLog(path: path, access: .write, options: options)
            #expect(log.format == 1)
            _ = try log.append([factory.event(id: "first", customer: "c1")])
        }
        // Opened by today's code with today's options: it stays format 1 and takes more events.
        let log = try EventLog(path: path, access: .write)
        #expect(log.format == 1)
        #expect(try log.statistics().formatVersion == 1)
        _ = try log.append([factory.event(id: "first", customer: "c1")])  // a duplicate
        var rest: [PreparedEvent] = []
        for position in 2...UInt64(Self.count) {
            let customer = Self.rarePositions.contains(position) ? "rare" : "c\(position % 7)"
            rest.append(factory.event(id: "e\(position)", caseID: "k\(position % 50)", customer: customer))
        }
        _ = try log.append(rest)
        // Every posting of "rare" sits under the customer alone, as format 1 keys it.
        #expect(try log.read { try $0.transaction.get(log.databases.byCustomer, key: Array("rare".utf8)) } != nil)
        try check(log)
        let reader = try EventLog(path: path, access: .read)
        #expect(reader.format == 1)
        try check(reader)
    }
}
