/// The log's last record: its position (0 for an empty log) and chain hash.
public struct LogHead: Equatable, Sendable {
    public var position: UInt64
    public var hash: [UInt8]

    public init(position: UInt64, hash: [UInt8]) {
        self.position = position
        self.hash = hash
    }

    public var hashHex: String { HashChain.hex(hash) }
}
