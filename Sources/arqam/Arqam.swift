import ArgumentParser

@main
struct Arqam: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read Arabic-Indic digit strings from images of form fields.",
        subcommands: [SynthCommand.self]
    )
}
