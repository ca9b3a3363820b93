import Foundation

/// What a quick rerun takes from an earlier run's outputs.
public enum PreviousRun {
    /// The λ an earlier run shortlisted at (`glmnet.lambda` in its model.json: the CV's λ.min,
    /// or the λ it was given), for `model.lambda` (`rtm run --lambda-from`). `path` is the
    /// model.json or the output folder holding it.
    /// - Throws: `SpecError` naming the file when it is missing, not an rtm model.json, or from
    ///   a run without an elastic-net shortlist.
    public static func lambda(from path: String) throws -> Double {
        var isFolder: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            ? (path as NSString).appendingPathComponent("model.json") : path
        func fail(_ message: String) -> SpecError { SpecError(file: file, line: nil, key: "glmnet.lambda", message: message) }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw fail("cannot be read — give the model.json of an earlier rtm run, or its output folder")
        }
        struct Document: Decodable {
            struct Glmnet: Decodable { let lambda: Double?; let lambdaMin: Double? }
            let glmnet: Glmnet?
            let family: String
        }
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        guard let doc = try? d.decode(Document.self, from: data) else {
            throw fail("is not the model.json of an rtm run — give the model.json of an earlier rtm run, or its output folder")
        }
        // Runs before `glmnet.lambda` existed wrote only `lambda_min`.
        guard let l = doc.glmnet?.lambda ?? doc.glmnet?.lambdaMin, l > 0, l.isFinite else {
            throw fail("has no elastic-net λ (that run used selection: none) — give a run made with selection: rtm or lasso")
        }
        return l
    }
}
