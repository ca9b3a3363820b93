import Foundation

/// Prints an error as the one line a user sees: "rtm: <what is wrong — what to do>".
enum CLIError {
    static func report(_ error: Error) {
        let text = String(describing: error)
        fflush(nil)   // flush stdout first, so the error comes after whatever was printed before it
        FileHandle.standardError.write(Data("rtm: \(text)\n".utf8))
    }
}
