/// A minimal line diff (longest common subsequence), for multi-line definitions such as function bodies.
enum LineDiff {
    /// `- old` / `+ new` lines for what differs, unchanged lines left out.
    static func lines(from old: [String], to new: [String]) -> [String] {
        let n = old.count, m = new.count
        // Definitions are short; the quadratic table is fine and keeps this obviously right.
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                result.append("- " + old[i]); i += 1
            } else {
                result.append("+ " + new[j]); j += 1
            }
        }
        return result
    }
}
