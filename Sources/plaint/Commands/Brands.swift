import ArgumentParser
import PlaintEvents
import PlaintLog
import PlaintReports
import PlaintViews

struct Brands: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every brand the store names: requests, cases, events, first and last request, sources.",
        discussion: """
            A request is a case's earliest customer message; requests and their times count what occurred by --at. \
            Events count every event naming the brand, relationship events included. Sources are the meta.source \
            values of the brand's cases.
            """)

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var format: FormatOptions
    @OptionGroup var width: WidthOptions
    @OptionGroup var moment: AtOption

    func run() throws {
        try mapErrors {
            let brands = try BrandListing.load(try storeOptions.open(.read), at: moment.atTime)
            try format.print(
                ListingReports.brands(brands),
                header: [
                    ("plaint_version", .string(PlaintVersion.current)), ("brand_count", .integer(Int64(brands.count))),
                ],
                rowsKey: "brands", footer: ["\(brands.count) brand\(brands.count == 1 ? "" : "s")"],
                width: width.tableWidth)
        }
    }
}
