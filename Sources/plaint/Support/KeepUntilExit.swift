/// Leaves `value` allocated until the process exits.
///
/// A replay holds hundreds of thousands of journeys; freeing them one by one takes a third of a
/// second, which the operating system does at once when the process ends.
func keepUntilExit<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(Kept(value: value))
}

private final class Kept<Value> {
    let value: Value
    init(value: Value) { self.value = value }
}
