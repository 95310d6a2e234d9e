// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Rehearse",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "rehearse", targets: ["rehearse"]),
        .library(name: "RehearseKit", targets: ["RehearseKit"]),
        .library(name: "RehearseTesting", targets: ["RehearseTesting"]),
        .plugin(name: "RehearsePlugin", targets: ["RehearsePlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CPgQuery",
            providers: [.apt(["libpg-query-dev"])]
        ),
        .systemLibrary(
            name: "CMongoC",
            pkgConfig: "libmongoc-1.0",
            providers: [.apt(["libmongoc-dev", "libbson-dev"]), .brew(["mongo-c-driver"])]
        ),
        .target(
            name: "RehearseCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "RehearsePostgres",
            dependencies: ["RehearseCore", "CLibPQ", "CPgQuery"]
        ),
        .target(
            name: "RehearseMongo",
            dependencies: ["RehearseCore", "CMongoC"],
            resources: [.copy("JavaScript/shim")]
        ),
        .target(
            name: "RehearseLint",
            dependencies: ["RehearseCore", "RehearsePostgres", "CPgQuery"]
        ),
        .target(
            name: "RehearseReporters",
            dependencies: ["RehearseCore"]
        ),
        .target(
            name: "RehearseKit",
            dependencies: ["RehearseCore", "RehearsePostgres", "RehearseMongo", "RehearseReporters", "RehearseLint"]
        ),
        // Swift Testing and XCTest helpers, apart from RehearseKit so that the library links no test framework.
        .target(
            name: "RehearseTesting",
            dependencies: ["RehearseKit"]
        ),
        .executableTarget(
            name: "rehearse",
            dependencies: [
                "RehearseKit",
                "RehearseMongo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .plugin(
            name: "RehearsePlugin",
            capability: .command(
                intent: .custom(verb: "rehearse", description: "Rehearse database migrations on disposable servers")
            ),
            dependencies: ["rehearse"]
        ),
        .testTarget(name: "RehearseCoreTests", dependencies: ["RehearseCore"]),
        .testTarget(name: "RehearsePostgresTests", dependencies: ["RehearsePostgres", "RehearseCore"]),
        .testTarget(name: "RehearseMongoTests", dependencies: ["RehearseMongo", "RehearseCore"]),
        .testTarget(name: "RehearseLintTests", dependencies: ["RehearseLint", "RehearseCore"]),
        .testTarget(name: "RehearseReportersTests", dependencies: ["RehearseReporters", "RehearseCore"], resources: [.copy("Golden")]),
        .testTarget(name: "RehearseKitTests", dependencies: ["RehearseKit"]),
        .testTarget(name: "RehearseTestingTests", dependencies: ["RehearseTesting"]),
        .testTarget(name: "rehearseTests", dependencies: ["rehearse", "RehearsePostgres", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
