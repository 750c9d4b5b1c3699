import ArgumentParser
import Foundation

struct Arqam: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read Arabic-Indic digit strings (IDs, phone numbers, dates) from images of form fields.",
        discussion: """
            Readings are printed with Western digits. Every command runs offline with the model in \
            Weights/ (or --weights FILE, or $ARQAM_WEIGHTS).
            """,
        subcommands: [ReadCommand.self, ReviewCommand.self, ExportCommand.self, TrainCommand.self, EvalCommand.self,
                      CalibrateCommand.self, SynthCommand.self, BenchCommand.self]
    )
}

/// Exit statuses other tools rely on: 0 done, 1 some work failed (the message says what),
/// 2 the command line itself was wrong.
@main
enum Main {
    static func main() async {
        if let problem = CPUCheck.problem() {
            FileHandle.standardError.write(Data("arqam: \(problem)\n".utf8))
            exit(1)
        }
        do {
            var command = try Arqam.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("arqam: \(failure)\n".utf8))
            exit(1)
        } catch {
            if Arqam.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((Arqam.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            Arqam.exit(withError: error)
        }
    }
}
