import PlaintProjections

/// A `--model` file that cannot be used: reported with the file and the field.
struct ModelFileError: Error, CustomStringConvertible {
    var path: String
    var problem: LoyaltyModelError
    var description: String { "model file \(path): \(problem)" }
}
