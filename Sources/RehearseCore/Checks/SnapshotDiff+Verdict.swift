extension SnapshotDiff {
    /// `+ index public.idx_x …`, with `, …` when there is more than one change.
    var headline: String {
        let first = lines.first ?? ""
        return changes.count > 1 ? first + ", …" : first
    }

    /// `3 differences`.
    var countText: String {
        "\(changes.count) difference\(changes.count == 1 ? "" : "s")"
    }

    /// Passed with the diff's notes when empty, else failed with `message` and the diff under `legend`, each
    /// change followed by `annotate`'s lines (which statement made it).
    func verdict(
        message: String, legend: String, file: String? = nil, annotate: (Change) -> [String] = { _ in [] }
    ) -> Verdict {
        guard !isEmpty else { return .passed(notes: notes) }
        return .failed("\(message): \(countText) (\(headline))", legend + "\n\n" + text(annotating: annotate), file: file)
    }
}
