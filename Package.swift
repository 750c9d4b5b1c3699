// swift-tools-version: 6.1
import PackageDescription

// Release builds of the numeric modules drop bounds checks on the hot loops; every fast
// path keeps its parity test against the Keras oracle. They use AVX2 and FMA (x86-64 CPUs
// since 2013-2015) unless ARQAM_PORTABLE is set; the binary checks its CPU before it starts.
let portable = Context.environment["ARQAM_PORTABLE"] != nil
let vectorFlags = portable ? [] : ["-Xcc", "-mavx2", "-Xcc", "-mfma"]
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"] + vectorFlags, .when(configuration: .release))]
let cpuCheck: [SwiftSetting] = portable ? [] : [.define("ARQAM_AVX2", .when(configuration: .release))]

let package = Package(
    name: "Arqam",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arqam", targets: ["arqam"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CFreeType", pkgConfig: "freetype2", providers: [.apt(["libfreetype-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "ArqamImaging", dependencies: ["CPNG"], swiftSettings: fastMath),
        .target(name: "ArqamNN", dependencies: ["COpenBLAS"], swiftSettings: fastMath),
        .target(name: "ArqamOCR", dependencies: ["ArqamImaging", "ArqamNN"], swiftSettings: fastMath),
        .target(name: "ArqamData", dependencies: [
            "ArqamImaging", "ArqamOCR", "CFreeType",
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: fastMath),
        .target(name: "ArqamTraining", dependencies: ["ArqamNN", "ArqamOCR", "ArqamData"], swiftSettings: fastMath),
        .target(name: "ArqamReview", dependencies: ["ArqamOCR", "ArqamData", "CNCurses"]),
        .executableTarget(name: "arqam", dependencies: [
            "ArqamImaging", "ArqamNN", "ArqamOCR", "ArqamData", "ArqamTraining", "ArqamReview",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: cpuCheck),

        .testTarget(name: "ArqamImagingTests", dependencies: ["ArqamImaging", "ArqamNN"]),
        .testTarget(name: "ArqamNNTests", dependencies: ["ArqamNN"]),
        .testTarget(name: "ArqamOCRTests", dependencies: ["ArqamOCR"]),
        .testTarget(name: "ArqamDataTests", dependencies: ["ArqamData"]),
        .testTarget(name: "ArqamTrainingTests", dependencies: ["ArqamTraining"]),
        .testTarget(name: "ArqamReviewTests", dependencies: ["ArqamReview"]),
        .testTarget(name: "arqamTests", dependencies: ["arqam"]),
    ]
)
