import Foundation

public enum ReviewStoreError: Error, Equatable, CustomStringConvertible {
    case queueNotFound(URL)
    case notReviewed(URL)
    case database(URL, reason: String)
    case queueLocked(URL, holder: StationLockHolder)
    case unreadableImage(URL, reason: String)
    case exportFailed(URL, reason: String)

    public var description: String {
        switch self {
        case .queueNotFound(let url):
            return "queue folder \(url.path) does not exist or is not a folder; give the folder that holds the PNG images"
        case .notReviewed(let url):
            return "\(url.path) has no review database (.arqam/review.sqlite); run `arqam review \(url.path)` first"
        case .database(let url, let reason):
            return "review database \(url.path): \(reason)"
        case .queueLocked(let url, let holder):
            return "queue \(url.path) is open in another review station (\(holder)); "
                + "close that station first, or wait for it to quit"
        case .unreadableImage(let url, let reason):
            return "cannot read image \(url.path): \(reason)"
        case .exportFailed(let url, let reason):
            return "export to \(url.path) failed: \(reason); check the folder is writable and has space"
        }
    }
}
