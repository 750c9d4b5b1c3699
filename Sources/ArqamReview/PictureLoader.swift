import Dispatch
import Foundation
import Synchronization

/// Decodes the pictures of the images about to be shown, off the main thread, so the next
/// image is ready when the operator gets there.
final class PictureLoader: Sendable {
    private let queueURL: URL
    private let engine: StationEngine
    private let mailbox: StationMailbox
    private let requested = Mutex<Set<String>>([])
    private let thread = DispatchQueue(label: "arqam.review.pictures", qos: .userInteractive)

    init(queue: URL, engine: StationEngine, mailbox: StationMailbox) {
        queueURL = queue
        self.engine = engine
        self.mailbox = mailbox
    }

    func load(_ paths: [String]) {
        for path in paths where requested.withLock({ $0.insert(path).inserted }) {
            thread.async { [self] in
                mailbox.post(.pictureLoaded(path: path, loadNow(path)))
                requested.withLock { _ = $0.remove(path) }
            }
        }
    }

    /// Crops the image to the digits `trace` wrote, as the zoom does, behind the pictures asked for.
    func loadZoomed(_ path: String, trace: [Int]) {
        guard let zoomedPicture = engine.zoomedPicture else { return }
        let url = queueURL.appendingPathComponent(path)
        thread.async { [mailbox] in
            mailbox.post(.zoomedPictureLoaded(path: path, Self.state { try zoomedPicture(url, trace) }))
        }
    }

    /// Loads on the caller's thread: for the very first image, drawn before anything else.
    func loadNow(_ path: String) -> PictureState {
        Self.state { try engine.picture(queueURL.appendingPathComponent(path)) }
    }

    private static func state(_ make: () throws -> ModelPicture) -> PictureState {
        do {
            return .loaded(try make())
        } catch {
            return .failed("\(error)")
        }
    }

    func waitUntilIdle() {
        thread.sync {}
    }
}
