// swift-tools-version: 6.0
import PackageDescription

/// Every module: imports name what they use, and existential types are spelled `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "plaint",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plaint", targets: ["plaint"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // LMDB, the C library: a modulemap and a shim, never vendored sources.
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        // glibc's allocator controls (malloc.h), which Swift's Glibc module leaves out.
        .systemLibrary(name: "CMalloc"),
        // Threads, hand-off queues, line reading, atomic files, output streams, terminal-safe
        // text, the allocator's arenas. No knowledge of events or stores.
        .target(name: "PlaintSystem", dependencies: ["CMalloc"], swiftSettings: strict),
        // The event format: JSON parsing, RFC 8785 canonical form, validation. Pure Swift.
        .target(name: "PlaintEvents", swiftSettings: strict),
        // Journeys, loyalty and vendor responsiveness as pure folds over events, and the
        // statistics behind every figure. No storage.
        .target(name: "PlaintProjections", dependencies: ["PlaintEvents", "PlaintSystem"], swiftSettings: strict),
        // The append-only log and its stored views: the only module that touches LMDB and the
        // memory map's pointers.
        .target(
            name: "PlaintLog",
            dependencies: [
                "CLMDB", "PlaintEvents", "PlaintSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // The append pipeline: check a whole input, spool it, write it in batches.
        .target(
            name: "PlaintIngest",
            dependencies: [
                "PlaintSystem", "PlaintEvents", "PlaintLog",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Importers of other formats (the twcs CSV), feeding the append pipeline.
        .target(
            name: "PlaintImport",
            dependencies: ["PlaintSystem", "PlaintEvents", "PlaintLog", "PlaintIngest"],
            swiftSettings: strict
        ),
        // Read models: the queries over stored views and events, and their rebuild (replay).
        .target(
            name: "PlaintViews",
            dependencies: ["PlaintSystem", "PlaintEvents", "PlaintProjections", "PlaintLog"],
            swiftSettings: strict
        ),
        // The log on a replicated PostgreSQL cluster (through postgres-nio), and the local LMDB
        // mirror of it that the views are kept in.
        .target(
            name: "PlaintPostgres",
            dependencies: [
                "PlaintSystem", "PlaintEvents", "PlaintLog", "PlaintIngest",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Every human and machine format: tables, JSON, Markdown, HTML and SVG.
        .target(
            name: "PlaintReports",
            dependencies: [
                "PlaintSystem", "PlaintEvents", "PlaintProjections", "PlaintLog", "PlaintViews", "PlaintIngest",
                "PlaintImport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: strict
        ),
        // The command-line tool: each command parses, makes one library call and prints.
        .executableTarget(
            name: "plaint",
            dependencies: [
                "PlaintSystem", "PlaintEvents", "PlaintProjections", "PlaintLog", "PlaintIngest", "PlaintImport",
                "PlaintViews", "PlaintReports", "PlaintPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Test helpers: the seeded generator, temporary directories, event factories, a checked append.
        .target(
            name: "PlaintTestSupport", dependencies: ["PlaintEvents", "PlaintLog"], path: "Tests/PlaintTestSupport",
            swiftSettings: strict),
        .testTarget(name: "PlaintSystemTests", dependencies: ["PlaintSystem"], swiftSettings: strict),
        .testTarget(
            name: "PlaintEventsTests", dependencies: ["PlaintEvents", "PlaintTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PlaintProjectionsTests", dependencies: ["PlaintProjections", "PlaintEvents", "PlaintTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PlaintLogTests", dependencies: ["PlaintLog", "PlaintEvents", "PlaintTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PlaintIngestTests",
            dependencies: ["PlaintIngest", "PlaintSystem", "PlaintLog", "PlaintEvents", "PlaintTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PlaintImportTests",
            dependencies: ["PlaintImport", "PlaintSystem", "PlaintEvents", "PlaintTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PlaintViewsTests",
            dependencies: ["PlaintViews", "PlaintLog", "PlaintEvents", "PlaintProjections", "PlaintTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["plaint"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
