import Foundation

/// An exclusive lock on an output folder for the whole of one run: `flock(2)` on `.rtm-lock`
/// inside it, so a second run on the folder (another process, another container on the same
/// volume and kernel, or the same process) stops at once with one line naming the holder.
///
/// The lock belongs to the open file, so the kernel drops it when the holder exits in any way
/// (SIGKILL and power loss included): there is no stale lock to clean up, and whoever holds the
/// lock knows that every staging folder in the folder is an orphan. The holder writes its pid,
/// host and start time into the file for the message a waiting run prints. The file stays
/// after the run (removing it would let two runs lock two different files); a run that made the
/// folder and failed removes it with the folder. Reopened when the path no longer names the
/// file locked (it was removed meanwhile), so two holders can never lock two inodes.
public final class FolderLock: @unchecked Sendable {
    public static let fileName = ".rtm-lock"
    public let folder: String
    private var fd: Int32

    /// Who holds a folder, as its lock file says.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public let pid: Int32?
        public let host: String?
        public let started: String?
        public var description: String {
            guard let pid else { return "another rtm run (it has not written its details yet)" }
            return "rtm pid \(pid) on \(host ?? "an unknown host") since \(started ?? "an unknown time")"
        }
    }

    /// Takes the lock or throws `OutputFolderError.busy` naming the holder.
    public init(folder: String) throws {
        self.folder = folder
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        while true {
            // never through a symbolic link: a planted .rtm-lock → ~/.bashrc must not be truncated
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                throw OutputFolderError.cannotLock(path: folder, reason: String(cString: strerror(errno)))
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let busy = errno == EWOULDBLOCK
                let reason = String(cString: strerror(errno))
                close(fd)
                if busy { throw OutputFolderError.busy(path: folder, holder: Self.holder(of: folder)) }
                throw OutputFolderError.cannotLock(path: folder, reason: reason)
            }
            // the file locked must still be the one at the path (not removed and made again)
            var locked = stat(), named = stat()
            if fstat(fd, &locked) == 0, stat(path, &named) == 0, locked.st_dev == named.st_dev, locked.st_ino == named.st_ino {
                self.fd = fd
                break
            }
            close(fd)
        }
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let started = ISO8601DateFormatter().string(from: Date())
        let name = host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let line = "pid=\(getpid()) host=\(name) started=\(started)\n"
        _ = ftruncate(fd, 0)
        _ = line.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    /// Releases the lock; the file stays (see the type's comment). Idempotent.
    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }

    /// Releases the lock and removes the lock file: only for a folder this run made and leaves
    /// empty, which no other run can have found yet under the lock.
    func releaseRemovingFile() {
        guard fd >= 0 else { return }
        unlink((folder as NSString).appendingPathComponent(Self.fileName))
        release()
    }

    deinit { release() }

    /// The holder named in a folder's lock file (its fields may be missing mid-write).
    public static func holder(of folder: String) -> Holder {
        let text = (try? String(contentsOfFile: (folder as NSString).appendingPathComponent(fileName), encoding: .utf8)) ?? ""
        var fields: [String: String] = [:]
        for part in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        return Holder(pid: fields["pid"].flatMap { Int32($0) }, host: fields["host"], started: fields["started"])
    }
}

/// Why an output folder cannot be used for a run.
public enum OutputFolderError: Error, Equatable, CustomStringConvertible {
    /// Another run holds the folder's lock.
    case busy(path: String, holder: FolderLock.Holder)
    /// The lock file cannot be made or locked (a read-only or odd file system).
    case cannotLock(path: String, reason: String)
    /// The folder holds files no rtm run wrote, which a run would remove.
    case foreignFiles(path: String, examples: [String], count: Int)

    public var description: String {
        switch self {
        case .busy(let path, let holder):
            return "\(path): another run is writing to this folder (\(holder)) — wait for it to finish, or choose another output folder with --out"
        case .cannotLock(let path, let reason):
            return "\(path): cannot lock the folder for this run (\(reason)) — choose an output folder on a local disk with --out"
        case .foreignFiles(let path, let examples, let count):
            let more = count > examples.count ? " and \(count - examples.count) more" : ""
            return "\(path): holds \(examples.joined(separator: ", "))\(more), which no rtm run wrote, and a run replaces everything in its output folder"
                + " — move them out, or choose a new or empty output folder with --out"
        }
    }
}
