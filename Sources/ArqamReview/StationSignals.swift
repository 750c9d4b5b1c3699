import Foundation
import Synchronization

private let stopSignalled = Atomic<Bool>(false)

/// SIGTERM, SIGHUP and SIGINT ask the station to stop; it then finishes the key at hand,
/// restores the terminal and closes the store, instead of dying mid-write.
public enum StationSignals {
    /// Installs the handlers; call before the terminal starts, so ncurses keeps them.
    public static func install() {
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber) { _ in stopSignalled.store(true, ordering: .relaxed) }
        }
    }

    public static var stopRequested: Bool { stopSignalled.load(ordering: .relaxed) }
}
