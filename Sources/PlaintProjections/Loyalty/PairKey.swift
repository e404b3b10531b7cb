/// A customer × brand pair as a dictionary key.
public struct PairKey: Hashable, Sendable {
    public var brand: [UInt8]
    public var customer: [UInt8]

    public init(brand: [UInt8], customer: [UInt8]) {
        self.brand = brand
        self.customer = customer
    }

    public func hash(into hasher: inout Hasher) {
        brand.withUnsafeBytes { hasher.combine(bytes: $0) }
        hasher.combine(brand.count)
        customer.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
