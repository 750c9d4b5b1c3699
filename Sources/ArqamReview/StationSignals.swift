import Foundation
import Synchronization

private let stopSignalled = Atomic<Bool>(false)

/// SIGTERM, SIGHUP and SIGINT ask the station to stop; it then finishes the key at hand,
/// restores the terminal and closes the store, instead of dying mid-write.
public enum StationSignals {
    /// Installs the handlers; call before the terminal starts, so ncurses keeps them.
    public static func install() {
        // A parent may hand down a mask that blocks these (tmux started from a worker thread
        // does); a station that cannot be asked to stop would only be killed.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber) { _ in stopSignalled.store(true, ordering: .relaxed) }
            sigaddset(&wanted, signalNumber)
        }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    }

    public static var stopRequested: Bool { stopSignalled.load(ordering: .relaxed) }
}
