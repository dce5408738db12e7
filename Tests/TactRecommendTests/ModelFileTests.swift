import Foundation
import TactCore
import Testing

@testable import TactRecommend

// MARK: Fixtures

/// An ALS model whose factors include the awkward floats (-0, subnormal, huge, ±∞, NaN), with matching metadata.
private func sampleALS(users: Int = 7, items: Int = 4, factors: Int = 5) -> (model: ALSModel, metadata: ModelMetadata) {
    var configuration = ALSConfiguration()
    configuration.factors = factors
    configuration.iterations = 12
    configuration.regularization = 0.0123
    configuration.alpha = 40.5
    configuration.confidence = .logarithmic(epsilon: 0.37)
    configuration.solver = .cholesky
    configuration.seed = .max
    configuration.threads = 3
    var userFactors = FactorMatrix.random(rows: users, factors: factors, seed: 7)
    let itemFactors = FactorMatrix.random(rows: items, factors: factors, seed: 8)
    let specials: [Float] = [-0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .infinity, .nan, -1.5e-20]
    for (i, value) in specials.enumerated() where users > 0 {
        let r = i % users, f = (i * 3) % factors
        userFactors.storage[r * userFactors.stride + f] = value
    }
    let model = ALSModel(
        configuration: configuration, userFactors: userFactors, itemFactors: itemFactors,
        loss: [0.1, 1.0 / 3, .pi, 1e-300, 123_456.789, .infinity])
    let metadata = ModelMetadata(
        algorithm: "als", createdAt: 1_750_000_000,
        users: (0..<users).map { String(format: "%064x", $0 * 7919) },
        items: (0..<items).map { "item-\($0) \"quoted\" ünïcødé ✓" },
        parameters: ["factors": "\(factors)", "solver": "cholesky", "alpha": "40.5"])
    return (model, metadata)
}

/// A popularity model over `items` items, with matching metadata.
private func samplePopularity(items: Int = 6) -> (model: PopularityModel, metadata: ModelMetadata) {
    let model = PopularityModel(itemCount: items, halfLifeDays: 3, now: 10 * 86_400) { add in
        for i in 0..<items { add(i, Float(i % 3 + 1), Int64(i) * 40_000) }
    }
    let metadata = ModelMetadata(
        algorithm: "popular", createdAt: 42, users: ["ab", "cd"],
        items: (0..<items).map { "sku\($0)" }, parameters: ["half_life_days": "3"])
    return (model, metadata)
}

private func bits(_ matrix: FactorMatrix) -> [UInt32] { matrix.storage.map(\.bitPattern) }

/// The error `decode` throws for `bytes`, or nil if it decodes.
private func decodeError(_ bytes: [UInt8]) -> ModelFileError? {
    do {
        _ = try ModelFile.decode(bytes)
        return nil
    } catch {
        return error
    }
}

private func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
}

private func uint64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
}

private func littleEndian(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

/// The same file with its JSON header replaced by `transform(header)` and a fresh checksum,
/// so only the consistency checks (not the checksum) can reject it.
private func resealed(_ bytes: [UInt8], _ transform: (inout ModelFile.Header) -> Void) throws -> [UInt8] {
    let headerLength = Int(uint64(bytes, 16))
    var header = try ModelFile.decodeHeader(bytes[24..<(24 + headerLength)])
    transform(&header)
    let json = ModelFile.encodeHeader(header)
    var out = Array(bytes[0..<16]) + littleEndian(UInt64(json.count)) + json
    out += bytes[(24 + headerLength)..<(bytes.count - 32)]
    return out + ModelFile.checksum(out[...])
}

/// The same bytes with the last 32 replaced by the SHA-256 of the rest.
private func resealed(_ bytes: [UInt8]) -> [UInt8] {
    let payload = bytes.dropLast(32)
    return Array(payload) + ModelFile.checksum(payload)
}

/// A fresh directory, removed after `body`.
private func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("tact-modelfile-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try body(path)
}

/// Whether a decoded model agrees with its metadata and with itself, as `decode` promises.
private func isConsistent(_ model: StoredModel, _ metadata: ModelMetadata) -> Bool {
    switch model {
    case .als(let m):
        return metadata.algorithm == "als"
            && metadata.users.count == m.userFactors.rows && metadata.items.count == m.itemFactors.rows
            && m.userFactors.factors == m.itemFactors.factors && m.configuration.factors == m.userFactors.factors
            && m.userFactors.storage.count == m.userFactors.rows * m.userFactors.stride
            && m.itemFactors.storage.count == m.itemFactors.rows * m.itemFactors.stride
    case .popularity(let p):
        return metadata.algorithm == "popular" && metadata.items.count == p.scores.count
            && p.ranking.sorted() == Array(p.scores.indices)
    case .knn(let m):
        let s = m.similarity
        return metadata.algorithm == "knn" && metadata.items.count == s.rows && s.rowStart.first == 0
            && s.rowStart.last == s.nonZeros && s.indices.allSatisfy { $0 >= 0 && Int($0) < s.rows }
    case .ease(let m):
        return metadata.algorithm == "ease" && metadata.items.count == m.itemCount
            && m.gram.count == m.itemCount * m.itemCount && m.weights.count == m.itemCount * m.itemCount
    case .blend(let b):
        var als = metadata, ease = metadata
        als.algorithm = "als"
        ease.algorithm = "ease"
        return metadata.algorithm == "blend" && (0...1).contains(b.easeWeight) && isConsistent(.als(b.als), als) && isConsistent(.ease(b.ease), ease)
    }
}

// MARK: Tests

@Suite struct ModelFileTests {
    @Test func alsRoundTripIsBitExact() throws {
        let (model, metadata) = sampleALS()
        let decoded = try ModelFile.decode(ModelFile.encode(.als(model), metadata: metadata))
        let als = try decoded.model.alsModel()
        #expect(decoded.metadata == metadata)
        #expect(als.configuration == model.configuration)
        #expect(bits(als.userFactors) == bits(model.userFactors))  // padding included: zeros both sides
        #expect(bits(als.itemFactors) == bits(model.itemFactors))
        #expect(als.userFactors.rows == 7 && als.userFactors.factors == 5 && als.userFactors.stride == 16)
        #expect(als.loss.map(\.bitPattern) == model.loss.map(\.bitPattern))
    }

    @Test func alsRoundTripThroughAFile() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/als.tactmodel"
            let (model, metadata) = sampleALS(users: 30, items: 20, factors: 17)
            try ModelFile.write(.als(model), metadata: metadata, to: path)
            let (stored, read) = try ModelFile.read(from: path)
            let als = try stored.alsModel()
            #expect(read == metadata)
            #expect(bits(als.userFactors) == bits(model.userFactors))
            #expect(bits(als.itemFactors) == bits(model.itemFactors))
            #expect(als.configuration == model.configuration)
        }
    }

    @Test func nanLossAndNonFiniteConfigurationSurvive() throws {
        var (model, metadata) = sampleALS()
        model.loss = [.nan, -.infinity, -0.0]
        model.configuration.alpha = .infinity
        let als = try ModelFile.decode(ModelFile.encode(.als(model), metadata: metadata)).model.alsModel()
        #expect(als.loss[0].isNaN && als.loss[1] == -.infinity && als.loss[2].bitPattern == (-0.0 as Double).bitPattern)
        #expect(als.configuration.alpha == .infinity)
    }

    @Test func popularityRoundTrip() throws {
        let (model, metadata) = samplePopularity()
        let decoded = try ModelFile.decode(ModelFile.encode(.popularity(model), metadata: metadata))
        let popularity = try decoded.model.popularityModel()
        #expect(decoded.model == .popularity(model))
        #expect(popularity.scores.map(\.bitPattern) == model.scores.map(\.bitPattern))
        #expect(popularity.ranking == model.ranking)
        #expect(decoded.metadata == metadata)
    }

    @Test func emptyModelsRoundTrip() throws {
        let (als, alsMetadata) = sampleALS(users: 0, items: 0, factors: 3)
        #expect(try ModelFile.decode(ModelFile.encode(.als(als), metadata: alsMetadata)).model == .als(als))
        let (popularity, popularityMetadata) = samplePopularity(items: 0)
        #expect(try ModelFile.decode(ModelFile.encode(.popularity(popularity), metadata: popularityMetadata)).model == .popularity(popularity))
    }

    @Test func layoutIsAsDocumented() throws {
        let (model, metadata) = sampleALS(users: 3, items: 2, factors: 5)
        let bytes = ModelFile.encode(.als(model), metadata: metadata)
        #expect(Array(bytes[0..<8]) == Array("TACTMODL".utf8))
        #expect(uint32(bytes, 8) == 1)
        #expect(uint32(bytes, 12) == 1)
        let headerLength = Int(uint64(bytes, 16))
        let json = try JSONSerialization.jsonObject(with: Data(bytes[24..<(24 + headerLength)])) as? [String: Any]
        let section = try #require(json?["als"] as? [String: Any])
        #expect(section["userRows"] as? Int == 3 && section["itemRows"] as? Int == 2 && section["factors"] as? Int == 5)
        #expect((json?["metadata"] as? [String: Any])?["algorithm"] as? String == "als")
        var offset = 24 + headerLength
        #expect(uint64(bytes, offset) == 15)  // 3 × 5, no padding
        offset += 8
        #expect(uint32(bytes, offset) == model.userFactors.storage[0].bitPattern)
        #expect(uint32(bytes, offset + 4 * 5) == model.userFactors.storage[16].bitPattern)  // row 1 follows row 0 directly
        offset += 15 * 4
        #expect(uint64(bytes, offset) == 10)
        offset += 8 + 10 * 4
        #expect(bytes.count == offset + 32)
        #expect(Array(bytes[offset...]) == ModelFile.checksum(bytes[0..<offset]))
        // The checksum is SHA-256 (FIPS 180-2 test vector for "abc").
        let abc = ModelFile.checksum(Array("abc".utf8)[...]).map { String(format: "%02x", $0) }.joined()
        #expect(abc == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Popularity: kind 2, one array of scores.
        let (popularity, popularityMetadata) = samplePopularity(items: 6)
        let popularityBytes = ModelFile.encode(.popularity(popularity), metadata: popularityMetadata)
        #expect(uint32(popularityBytes, 12) == 2)
        #expect(uint64(popularityBytes, 24 + Int(uint64(popularityBytes, 16))) == 6)
    }

    @Test func encodingIsDeterministic() {
        let (model, metadata) = sampleALS()
        #expect(ModelFile.encode(.als(model), metadata: metadata) == ModelFile.encode(.als(model), metadata: metadata))
    }

    @Test func everyTruncationIsReportedAsTruncated() {
        let (model, metadata) = sampleALS(users: 3, items: 2, factors: 4)
        let bytes = ModelFile.encode(.als(model), metadata: metadata)
        for length in 0..<bytes.count {
            let error = decodeError(Array(bytes[0..<length]))
            guard case .truncated(let expected, let found) = error else {
                Issue.record("cut at \(length) of \(bytes.count): \(String(describing: error))")
                continue
            }
            #expect(found == length)
            // A lower bound that never overstates: exact once the cut is past the last length field.
            #expect(expected > UInt64(length) && expected <= UInt64(bytes.count), "cut at \(length)")
            if length >= bytes.count - 32 { #expect(expected == UInt64(bytes.count), "cut at \(length)") }
        }
    }

    @Test func aFlippedByteIsAChecksumMismatch() {
        let (model, metadata) = sampleALS()
        let bytes = ModelFile.encode(.als(model), metadata: metadata)
        for offset in [bytes.count / 2, bytes.count - 40, bytes.count - 1, 30] {
            var damaged = bytes
            damaged[offset] ^= 0x10
            #expect(decodeError(damaged) == .checksumMismatch, "byte \(offset) of \(bytes.count)")
        }
    }

    @Test func badMagicIsNotATactModel() {
        let (model, metadata) = samplePopularity()
        var bytes = ModelFile.encode(.popularity(model), metadata: metadata)
        bytes[3] = UInt8(ascii: "X")
        #expect(decodeError(bytes) == .notATactModel)
        #expect(decodeError(Array("user,item\nalice,1\n".utf8)) == .notATactModel)
        #expect(decodeError([0x89, 0x50, 0x4E, 0x47]) == .notATactModel)
        #expect(ModelFileError.notATactModel.description.contains("tact train"))
    }

    @Test func newerVersionAsksForAnUpgrade() {
        let (model, metadata) = samplePopularity()
        var bytes = ModelFile.encode(.popularity(model), metadata: metadata)
        bytes[8] = 2
        let error = decodeError(bytes)
        #expect(error == .unsupportedVersion(found: 2, supported: 1))
        #expect(error?.description.contains("upgrade tact") == true)
        bytes[8] = 0
        #expect(decodeError(bytes) == .unsupportedVersion(found: 0, supported: 1))
        #expect(decodeError(bytes)?.description.contains("damaged") == true)
    }

    @Test func unknownKindAsksForAnUpgradeOnlyWhenIntact() {
        let (model, metadata) = samplePopularity()
        var bytes = ModelFile.encode(.popularity(model), metadata: metadata)
        bytes[12] = 9
        #expect(decodeError(bytes) == .checksumMismatch)
        #expect(decodeError(resealed(bytes)) == .unsupportedKind(9))
    }

    @Test func headerClaimingMoreRowsThanPresentIsInconsistent() throws {
        let (model, metadata) = sampleALS(users: 5, items: 3, factors: 4)
        let bytes = ModelFile.encode(.als(model), metadata: metadata)
        // More rows (and ids to match), but the arrays are unchanged.
        let moreRows = try resealed(bytes) { header in
            header.als!.userRows += 1
            header.metadata.users.append("ff")
        }
        guard case .inconsistentHeader(let what) = decodeError(moreRows) else {
            Issue.record("expected inconsistentHeader, got \(String(describing: decodeError(moreRows)))")
            return
        }
        #expect(what.contains("6 user rows"))
        // Ids that do not match the rows.
        let fewerIds = try resealed(bytes) { $0.metadata.items.removeLast() }
        #expect(decodeError(fewerIds) == .inconsistentHeader("2 item ids for 3 item factor rows"))
        // An absurd row count is rejected before anything is allocated.
        let absurd = try resealed(bytes) { $0.als!.userRows = Int.max / 2 }
        #expect(decodeError(absurd) != nil)
        // Factors out of range, or disagreeing with the configuration.
        let zeroFactors = try resealed(bytes) { $0.als!.factors = 0 }
        #expect(decodeError(zeroFactors) != nil)
        let otherConfiguration = try resealed(bytes) { $0.als!.configuration.factors = 8 }
        #expect(decodeError(otherConfiguration) != nil)
        // An algorithm name that does not match the kind.
        let renamed = try resealed(bytes) { $0.metadata.algorithm = "popular" }
        #expect(decodeError(renamed) != nil)
    }

    @Test func arrayCountLargerThanTheFileIsRejected() {
        let (model, metadata) = samplePopularity(items: 4)
        var bytes = ModelFile.encode(.popularity(model), metadata: metadata)
        let countOffset = 24 + Int(uint64(bytes, 16))
        bytes.replaceSubrange(countOffset..<(countOffset + 8), with: littleEndian(UInt64.max))
        #expect(decodeError(bytes) == .truncated(expected: .max, found: bytes.count))
        // With a valid checksum the file cannot be cut short: its lengths are wrong.
        guard case .inconsistentHeader = decodeError(resealed(bytes)) else {
            Issue.record("expected inconsistentHeader, got \(String(describing: decodeError(resealed(bytes))))")
            return
        }
    }

    @Test func askingForTheWrongKindSaysSo() throws {
        let (model, metadata) = samplePopularity()
        let stored = try ModelFile.decode(ModelFile.encode(.popularity(model), metadata: metadata)).model
        #expect(throws: ModelFileError.wrongKind(expected: "als", found: "popular")) { try stored.alsModel() }
        #expect(ModelFileError.wrongKind(expected: "als", found: "popular").description.contains("tact train --algorithm als"))
    }

    @Test func missingFileIsNotFound() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/nothing.tactmodel"
            #expect(throws: ModelFileError.notFound(path: path)) { try ModelFile.read(from: path) }
            #expect(ModelFileError.notFound(path: path).description.contains(path))
            #expect(throws: ModelFileError.self) { try ModelFile.read(from: directory) }  // a directory
        }
    }

    @Test func writeIsAtomicAndLeavesNoTemporaryFile() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/model.tactmodel"
            let (first, firstMetadata) = samplePopularity(items: 3)
            try ModelFile.write(.popularity(first), metadata: firstMetadata, to: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.tactmodel"])
            // Only the owner may read it: models are derived from personal data.
            let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(permissions == 0o600)
            // Overwriting replaces the whole file.
            let (second, secondMetadata) = sampleALS()
            try ModelFile.write(.als(second), metadata: secondMetadata, to: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.tactmodel"])
            #expect(try ModelFile.read(from: path).metadata == secondMetadata)
            // A stale temporary file from an earlier crash is replaced, then renamed away.
            _ = FileManager.default.createFile(atPath: path + ".tmp", contents: Data("junk".utf8))
            try ModelFile.write(.popularity(first), metadata: firstMetadata, to: path)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.tactmodel"])
            // A failed write leaves the old file alone and no temporary file.
            #expect(throws: ModelFileError.self) {
                try ModelFile.write(.als(second), metadata: secondMetadata, to: directory + "/missing/model.tactmodel")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["model.tactmodel"])
            #expect(try ModelFile.read(from: path).model == .popularity(first))
        }
    }

    @Test func writeRefusesAModelThatDisagreesWithItsMetadata() throws {
        try withTemporaryDirectory { directory throws in
            let path = directory + "/model.tactmodel"
            var (model, metadata) = sampleALS()
            metadata.users.removeLast()
            #expect(throws: ModelFileError.inconsistentHeader("6 user ids for 7 user factor rows")) {
                try ModelFile.write(.als(model), metadata: metadata, to: path)
            }
            metadata = sampleALS().metadata
            metadata.algorithm = "popular"
            #expect(throws: ModelFileError.self) { try ModelFile.write(.als(model), metadata: metadata, to: path) }
            model.userFactors.storage.removeLast()
            #expect(throws: ModelFileError.self) { try ModelFile.write(.als(model), metadata: sampleALS().metadata, to: path) }
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }

    @Test func descriptionsSayWhatToDo() {
        let errors: [ModelFileError] = [
            .notFound(path: "/m"), .notATactModel, .unsupportedVersion(found: 9, supported: 1), .unsupportedKind(9),
            .truncated(expected: 100, found: 50), .checksumMismatch, .inconsistentHeader("x"),
            .wrongKind(expected: "als", found: "popular")
        ]
        for error in errors {
            #expect(error.description.contains("tact train") || error.description.contains("upgrade tact"), "\(error)")
        }
        #expect(ModelFileError.truncated(expected: 100, found: 50).description.contains("expected at least 100 bytes, found 50"))
    }

    /// Random damage: the decoder throws (or, for the rare harmless change, returns a consistent model); it never traps.
    @Test func randomMutationsNeverCrash() {
        let (als, alsMetadata) = sampleALS(users: 6, items: 5, factors: 3)
        let (popularity, popularityMetadata) = samplePopularity(items: 5)
        let originals = [
            ModelFile.encode(.als(als), metadata: alsMetadata),
            ModelFile.encode(.popularity(popularity), metadata: popularityMetadata)
        ]
        var random = SplitMix64(state: 2024)
        var thrown = 0
        for trial in 0..<200 {
            let bytes = mutated(originals[trial % 2], &random)
            do {
                let (model, metadata) = try ModelFile.decode(bytes)
                #expect(isConsistent(model, metadata), "trial \(trial)")
                #expect(bytes == originals[trial % 2], "trial \(trial): damaged bytes decoded")
            } catch {
                thrown += 1
            }
        }
        #expect(thrown > 150)
    }

    /// The same damage with the checksum recomputed, so the length walk, the JSON header and the
    /// consistency checks see it: every decoded model must still be consistent.
    @Test func randomMutationsBehindAValidChecksumNeverCrash() {
        let (als, alsMetadata) = sampleALS(users: 6, items: 5, factors: 3)
        let (popularity, popularityMetadata) = samplePopularity(items: 5)
        let originals = [
            ModelFile.encode(.als(als), metadata: alsMetadata),
            ModelFile.encode(.popularity(popularity), metadata: popularityMetadata)
        ]
        var random = SplitMix64(state: 77)
        var decoded = 0, thrown = 0
        for trial in 0..<200 {
            var bytes = mutated(originals[trial % 2], &random)
            if bytes.count >= 56 { bytes = resealed(bytes) }
            do {
                let (model, metadata) = try ModelFile.decode(bytes)
                #expect(isConsistent(model, metadata), "trial \(trial)")
                decoded += 1
            } catch {
                thrown += 1
            }
        }
        #expect(decoded + thrown == 200)
        #expect(decoded > 0 && thrown > 0)  // both paths were exercised
    }
}

/// `bytes` with one random kind of damage; the result always differs from the input.
private func mutated(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
    var out = bytes
    switch random.next() % 6 {
    case 0:  // flip one to four bytes
        for _ in 0...(random.next() % 4) {
            out[Int(random.next() % UInt64(out.count))] ^= UInt8(1 + random.next() % 255)
        }
    case 1:  // cut off
        out.removeLast(1 + Int(random.next() % UInt64(out.count)))
    case 2:  // insert random bytes
        let at = Int(random.next() % UInt64(out.count + 1))
        out.insert(contentsOf: (0...(random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
    case 3:  // delete a range
        let at = Int(random.next() % UInt64(out.count))
        out.removeSubrange(at..<min(out.count, at + 1 + Int(random.next() % 16)))
    case 4:  // overwrite a length field (header length or an array count) with something odd
        let candidates: [UInt64] = [0, 1, 0xFFFF_FFFF, UInt64.max, UInt64.max / 4, UInt64(bytes.count), random.next()]
        let offsets = [16, 24 + Int(uint64(bytes, 16))]
        let offset = offsets[Int(random.next() % 2)]
        var value = candidates[Int(random.next() % UInt64(candidates.count))]
        if value == uint64(bytes, offset) { value &+= 1 }
        out.replaceSubrange(offset..<(offset + 8), with: littleEndian(value))
    default:  // damage the JSON header: change one character in it
        let headerLength = Int(uint64(bytes, 16))
        let at = 24 + Int(random.next() % UInt64(headerLength))
        let replacements = Array("0123456789{}[]\",:-.e \\tnu".utf8)
        var value = replacements[Int(random.next() % UInt64(replacements.count))]
        if value == out[at] { value = UInt8(ascii: "#") }
        out[at] = value
    }
    return out
}
