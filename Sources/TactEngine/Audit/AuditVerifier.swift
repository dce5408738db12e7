import TactStore

/// One verification: walks the chain from the first entry, then checks each checkpoint's signature, that the
/// chain still holds its entry with the hash it signed, and that the database and the file agree.
struct AuditVerifier {
    let reader: any StoreReader
    let publicKey: [UInt8]
    let stored: [AuditCheckpoint]
    let file: [(line: Int, checkpoint: AuditCheckpoint?)]
    let progress: ((Int64, Int64) -> Void)?

    private static let databasePlace = "database"
    private static let filePlace = "checkpoint file"

    func run() throws -> AuditVerification {
        let fileCheckpoints = file.compactMap(\.checkpoint)
        let wanted = Set((stored + fileCheckpoints).map(\.entryID))
        let walk = try walkChain(keepingHashesOf: wanted)

        var entryProblems: [AuditProblem] = walk.problem.map { [$0] } ?? []
        var otherProblems: [AuditProblem] = []
        func note(_ p: AuditProblem) {
            if p.entry != nil {
                if !entryProblems.contains(p) { entryProblems.append(p) }
            } else if !otherProblems.contains(p) {
                otherProblems.append(p)
            }
        }

        // Signatures, then coverage, oldest checkpoint first.
        let all = stored.map { ($0, Self.databasePlace) } + fileCheckpoints.map { ($0, Self.filePlace) }
        var signed: [AuditCheckpoint] = []
        for (c, place) in all {
            if c.publicKey == publicKey, AuditSigningKey.isValidSignature(c.signature, of: c.signedBytes, publicKey: publicKey) {
                if !signed.contains(c) { signed.append(c) }
            } else {
                note(.badSignature(checkpoint: c.number, place: place))
            }
        }
        signed.sort { ($0.entryID, $0.number) < ($1.entryID, $1.number) }
        var lastGoodEntry: Int64 = 0
        var checked = 0
        var newest: AuditCheckpoint?
        for c in signed {
            if let bad = walk.firstBad, c.entryID >= bad { continue }  // the chain is already broken before it
            if c.entryID > walk.lastEntry {
                note(.truncated(entry: walk.lastEntry + 1, checkpoint: c.number, checkpointEntry: c.entryID))
                continue
            }
            let hash = c.entryID == 0 ? AuditChain.genesis : walk.hashes[c.entryID]
            if hash != c.entryHash || c.entryCount != c.entryID {
                note(.rewritten(from: lastGoodEntry + 1, through: c.entryID, checkpoint: c.number))
                continue
            }
            lastGoodEntry = max(lastGoodEntry, c.entryID)
            checked += 1
            if newest == nil || c.number > newest!.number { newest = c }
        }

        // The database's checkpoints are numbered 1, 2, 3…; the file's newest must be among them, unchanged.
        for entry in file where entry.checkpoint == nil { note(.unreadableCheckpointLine(line: entry.line)) }
        let byNumber = Dictionary(stored.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let fileByNumber = Dictionary(fileCheckpoints.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let newestStored = stored.map(\.number).max() ?? 0
        if newestStored > 0 {
            for n in 1...newestStored where byNumber[n] == nil { note(.checkpointMissing(checkpoint: n, place: Self.databasePlace)) }
        }
        if let newestInFile = fileCheckpoints.map(\.number).max() {
            if byNumber[newestInFile] == nil { note(.checkpointMissing(checkpoint: newestInFile, place: Self.databasePlace)) }
            for n in byNumber.keys.sorted() where n < newestInFile && fileByNumber[n] == nil {
                note(.checkpointMissing(checkpoint: n, place: Self.filePlace))
            }
        }
        for (n, c) in fileByNumber.sorted(by: { $0.key < $1.key }) {
            if let s = byNumber[n], s != c { note(.checkpointsDisagree(checkpoint: n)) }
        }

        // By first entry; in the order found among equals.
        entryProblems = entryProblems.enumerated().sorted { ($0.element.entry ?? 0, $0.offset) < ($1.element.entry ?? 0, $1.offset) }.map(\.element)
        return AuditVerification(
            entries: walk.lastEntry, checkpointsChecked: checked,
            lastCheckpoint: newest.map { AuditCheckpointSummary(number: $0.number, entryID: $0.entryID, at: $0.at) },
            problems: entryProblems + otherProblems)
    }

    struct Walk {
        /// The last entry whose hash checked out (0 when none).
        var lastEntry: Int64 = 0
        /// The first entry found bad, with what is wrong.
        var problem: AuditProblem?
        var firstBad: Int64? { problem?.entry }
        /// Chain hashes of the entries checkpoints name.
        var hashes: [Int64: [UInt8]] = [:]
    }

    /// Recomputes the chain from the first entry and stops at the first entry that does not fit.
    private func walkChain(keepingHashesOf wanted: Set<Int64>) throws -> Walk {
        var walk = Walk()
        let total = try reader.lastAuditRow()?.id ?? 0
        var previous = AuditChain.genesis
        var bad: AuditRow?
        try reader.forEachAuditRow(after: 0) { row in
            let expected = walk.lastEntry + 1
            guard row.id == expected else {
                walk.problem = .removed(entry: expected, resumesAt: row.id)
                return false
            }
            let hash = AuditChain.hash(of: row, previous: previous)
            guard row.hash == hash else {
                bad = row
                return false
            }
            previous = hash
            walk.lastEntry = row.id
            if wanted.contains(row.id) { walk.hashes[row.id] = hash }
            if let progress, row.id & 0xFFFF == 0 { progress(row.id, total) }
            return true
        }
        if let bad {
            // Reordered when a later entry's values fit here: under this entry's hash (values moved) or
            // under its own (values and hash moved together).
            var partner: Int64?
            try reader.forEachAuditRow(after: bad.id) { other in
                var moved = other
                moved.id = bad.id
                let hash = AuditChain.hash(of: moved, previous: previous)
                if hash == bad.hash || hash == other.hash {
                    partner = other.id
                    return false
                }
                return true
            }
            walk.problem = partner.map { .reordered(entry: bad.id, with: $0) } ?? .altered(entry: bad.id)
        }
        progress?(walk.lastEntry, total)
        return walk
    }
}
