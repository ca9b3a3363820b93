import Foundation

/// Prints an error as the one line a user sees: "rtm: <what is wrong — what to do>".
enum CLIError {
    static func report(_ error: Error) {
        let text = String(describing: error)
        FileHandle.standardError.write(Data("rtm: \(text)\n".utf8))
    }
}
