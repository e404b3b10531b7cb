// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "plaint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plaint", targets: ["plaint"]),
        .library(name: "PlaintKit", targets: ["PlaintKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // LMDB, the C library: a modulemap and a shim, never vendored sources.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // The event format: JSON parsing, RFC 8785 canonical form, validation. Pure Swift.
        .target(name: "PlaintEvents"),
        // Journeys and vendor responsiveness as pure folds over events. No storage, no LMDB.
        .target(name: "PlaintProjections", dependencies: ["PlaintEvents"]),
        // The append-only log: the only module that touches LMDB and C pointers.
        .target(
            name: "PlaintLog",
            dependencies: [
                "CLMDB",
                "PlaintEvents",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // Use cases that tie the format to the log: append pipelines, queries, output.
        .target(
            name: "PlaintKit",
            dependencies: [
                "PlaintLog", "PlaintEvents", "PlaintProjections",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // The command-line tool: parses arguments, calls PlaintKit, maps errors to exit codes.
        .executableTarget(
            name: "plaint",
            dependencies: [
                "PlaintKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The seeded generator the random tests share.
        .target(name: "PlaintTestSupport", path: "Tests/PlaintTestSupport"),
        .testTarget(name: "PlaintEventsTests", dependencies: ["PlaintEvents", "PlaintTestSupport"]),
        .testTarget(
            name: "PlaintProjectionsTests", dependencies: ["PlaintProjections", "PlaintEvents", "PlaintTestSupport"]),
        .testTarget(
            name: "PlaintLogTests",
            dependencies: ["PlaintLog", "PlaintEvents", "PlaintKit", "PlaintProjections", "PlaintTestSupport"]),
        .testTarget(name: "PlaintKitTests", dependencies: ["PlaintKit", "PlaintLog", "PlaintEvents", "PlaintTestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["plaint"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
