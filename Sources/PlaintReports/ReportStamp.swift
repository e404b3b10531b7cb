import Crypto
import PlaintEvents
import PlaintProjections

/// The version of plaint, printed by `plaint --version` and named in every report so a figure
/// can be traced to the code that computed it.
public enum PlaintVersion {
    public static let current = "0.9.0"
}

/// What every report says about how it was made: the plaint version, and where loyalty is shown,
/// the loyalty model by name and by a digest of its content, so that two reports made with
/// models of the same name but different weights cannot be mistaken for each other.
public enum ReportStamp {
    /// `sha256:` and the hex SHA-256 of the model file plaint would print for the model
    /// (`loyalty --show-model`), so a reader can recompute it from that file.
    public static func digest(of model: LoyaltyModel) -> String {
        "sha256:"
            + SHA256.hash(data: Array(model.json.utf8)).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
    }

    /// A digest short enough for a table's header line: its first 12 hex digits.
    public static func shortDigest(of model: LoyaltyModel) -> String { String(digest(of: model).prefix(19)) }

    /// `model` and `model_digest`, for JSON reports that show loyalty.
    public static func modelMembers(_ name: String, _ model: LoyaltyModel) -> [(String, JSONValue)] {
        [("model", .string(name)), ("model_digest", .string(digest(of: model)))]
    }

    /// The report with `plaint_version` as its first member, unless it already names it.
    public static func stamped(_ report: JSONValue) -> JSONValue {
        guard case .object(let members) = report, !members.contains(where: { $0.0 == "plaint_version" }) else {
            return report
        }
        return .object([("plaint_version", .string(PlaintVersion.current))] + members)
    }

    /// The last line of a table report.
    public static var footer: String { "plaint \(PlaintVersion.current)" }
}
