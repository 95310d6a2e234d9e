import RehearseKit

extension RehearsalRequest {
    /// What to tell a user whose `--changed-since` or `--shard` left nothing to rehearse (the policy checks still
    /// run); nil when neither was given.
    var nothingToRehearseNote: String? {
        let why: String
        switch (changedSince, shard) {
        case let (reference?, shard?): why = "no migration changed since \(reference) falls in shard \(shard)"
        case let (reference?, nil): why = "no migration changed since \(reference)"
        case let (nil, shard?): why = "shard \(shard) holds no migration"
        case (nil, nil): return nil
        }
        return "Nothing to rehearse: \(why); only the policy checks run."
    }
}
