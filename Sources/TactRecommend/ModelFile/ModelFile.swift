import Crypto
import Foundation
import TactCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a model file holds besides the numbers: the ids of the rows and columns it was trained on.
public struct ModelMetadata: Sendable, Equatable, Codable {
    /// "als" or "popular"; must match the kind of model stored with it.
    public var algorithm: String
    /// When the model was trained, in seconds since 1970.
    public var createdAt: Int64
    /// Row → user key (pseudonym hex): one per user factor row of an ALS model.
    public var users: [String]
    /// Column → item id: one per item factor row (ALS) or per score (popularity).
    public var items: [String]
    /// Human-readable hyperparameters, for `tact` to show.
    public var parameters: [String: String]
    /// A DP-ALS model's noisy item counts, one per item: part of its charged release, and the only
    /// popularity a server serving it may show (`PopularitySource`). Nil for other models, and for a
    /// DP-ALS model trained without a count share.
    public var releasedPopularity: [Float]?

    /// Metadata with these fields.
    public init(
        algorithm: String, createdAt: Int64, users: [String], items: [String], parameters: [String: String] = [:],
        releasedPopularity: [Float]? = nil
    ) {
        self.algorithm = algorithm
        self.createdAt = createdAt
        self.users = users
        self.items = items
        self.parameters = parameters
        self.releasedPopularity = releasedPopularity
    }
}

/// A model as stored in a model file: one of the kinds the format knows.
public enum StoredModel: Sendable, Equatable {
    case als(ALSModel)
    case popularity(PopularityModel)
    case knn(ItemKNNModel)
    case ease(EASEModel)
    case blend(BlendModel)

    /// The algorithm name this kind is stored under ("als", "popular", "knn" or "ease"), as in `ModelMetadata.algorithm`.
    public var algorithm: String { ModelFile.kind(of: self).algorithm }

    /// The ALS model, or `.wrongKind` if this is another kind of model.
    public func alsModel() throws(ModelFileError) -> ALSModel {
        guard case .als(let model) = self else { throw .wrongKind(expected: ModelFile.Kind.als.algorithm, found: algorithm) }
        return model
    }

    /// The item-kNN model, or `.wrongKind` if this is another kind of model.
    public func knnModel() throws(ModelFileError) -> ItemKNNModel {
        guard case .knn(let model) = self else { throw .wrongKind(expected: ModelFile.Kind.knn.algorithm, found: algorithm) }
        return model
    }

    /// The popularity model, or `.wrongKind` if this is another kind of model.
    public func popularityModel() throws(ModelFileError) -> PopularityModel {
        guard case .popularity(let model) = self else { throw .wrongKind(expected: ModelFile.Kind.popularity.algorithm, found: algorithm) }
        return model
    }
}

/// The versioned binary model file (layout in docs/model-files.md):
///
///     "TACTMODL" · UInt32 version · UInt32 kind · UInt64 header length · JSON header
///     · for each Float32 array: UInt64 element count, elements · SHA-256 of everything before it
///
/// All integers and floats are little-endian. Reading checks every length against the bytes present
/// before using it, so any input gives either a consistent model or a `ModelFileError`.
public enum ModelFile {
    /// The format version this code writes, and the only one it reads.
    public static let formatVersion: UInt32 = 1

    static let magic: [UInt8] = Array("TACTMODL".utf8)
    /// Magic, version, kind, header length.
    static let prefixLength = 24
    static let checksumLength = 32
    /// The most factors per row a file may claim (ALS).
    static let maximumFactors = 65_536

    /// The kind of model, as stored in the prefix.
    enum Kind: UInt32 {
        case als = 1
        case popularity = 2
        case knn = 3
        case ease = 4
        case blend = 5

        /// The value of `ModelMetadata.algorithm` for this kind (a differentially private model of it adds a "dp-" prefix).
        var algorithm: String {
            switch self {
            case .als: return "als"
            case .popularity: return "popular"
            case .knn: return "knn"
            case .ease: return "ease"
            case .blend: return "blend"
            }
        }

        /// How many arrays of 32-bit words follow the header.
        var arrayCount: Int {
            switch self {
            case .als: return 2
            case .popularity: return 1
            case .knn: return 3  // row starts and column indices (UInt32), similarities (Float32)
            case .ease: return 2  // the Gram matrix and the weights, items × items each (Float32)
            case .blend: return 4  // iALS's two factor matrices, then EASE's two matrices
            }
        }
    }

    /// The JSON header: metadata, and the section for the stored kind.
    struct Header: Codable, Equatable {
        var metadata: ModelMetadata
        var als: ALSSection?
        var popularity: PopularitySection?
        var knn: KNNSection?
        var ease: EASESection?
        var blend: BlendSection?
    }

    /// The blend part of the header (its iALS and EASE parts have their own sections).
    struct BlendSection: Codable, Equatable {
        var easeWeight: Float
    }

    /// The EASE part of the header: configuration and the number of items (both matrices are items × items).
    struct EASESection: Codable, Equatable {
        var configuration: EASEConfiguration
        var items: Int
    }

    /// The most items an EASE file may claim (its matrices hold items² floats each).
    static let maximumEASEItems = 46_340

    /// The item-kNN part of the header: configuration and the shape of the similarity matrix.
    struct KNNSection: Codable, Equatable {
        var configuration: ItemKNNConfiguration
        var items: Int
        var nonZeros: Int
    }

    /// The ALS part of the header: configuration, shapes, loss history.
    struct ALSSection: Codable, Equatable {
        var configuration: ALSConfiguration
        var userRows: Int
        var itemRows: Int
        var factors: Int
        var loss: [Double]
    }

    /// The popularity part of the header: how many scores follow.
    struct PopularitySection: Codable, Equatable {
        var items: Int
    }

    // MARK: Writing

    /// Writes the model to `path` atomically (to `path + ".tmp"`, flushed, then renamed over `path`);
    /// throws `ModelFileError` if the model and metadata disagree or the file cannot be written.
    public static func write(_ model: StoredModel, metadata: ModelMetadata, to path: String) throws {
        try check(model, metadata: metadata)
        let bytes = encode(model, metadata: metadata)
        try writeAtomically(bytes, to: path)
    }

    /// The bytes of a model file. The model must agree with the metadata (as `write` checks);
    /// otherwise the bytes are still produced but `decode` will reject them.
    public static func encode(_ model: StoredModel, metadata: ModelMetadata) -> [UInt8] {
        let json = encodeHeader(header(for: model, metadata: metadata))
        var out = ByteWriter()
        out.bytes.reserveCapacity(prefixLength + json.count + payloadSize(of: model) + checksumLength)
        out.bytes += magic
        out.append(formatVersion)
        out.append(kind(of: model).rawValue)
        out.append(UInt64(json.count))
        out.bytes += json
        switch model {
        case .als(let m):
            out.append(m.userFactors)
            out.append(m.itemFactors)
        case .popularity(let p):
            out.append(UInt64(p.scores.count))
            out.appendFloats(p.scores[...])
        case .knn(let m):
            out.append(UInt64(m.similarity.rowStart.count))
            for v in m.similarity.rowStart { out.append(UInt32(truncatingIfNeeded: v)) }
            out.append(UInt64(m.similarity.indices.count))
            for v in m.similarity.indices { out.append(UInt32(bitPattern: v)) }
            out.append(UInt64(m.similarity.values.count))
            out.appendFloats(m.similarity.values[...])
        case .ease(let m):
            out.append(UInt64(m.gram.count))
            out.appendFloats(m.gram[...])
            out.append(UInt64(m.weights.count))
            out.appendFloats(m.weights[...])
        case .blend(let b):
            out.append(b.als.userFactors)
            out.append(b.als.itemFactors)
            out.append(UInt64(b.ease.gram.count))
            out.appendFloats(b.ease.gram[...])
            out.append(UInt64(b.ease.weights.count))
            out.appendFloats(b.ease.weights[...])
        }
        out.bytes += checksum(out.bytes[...])
        return out.bytes
    }

    /// Throws `.inconsistentHeader` unless `encode` would produce a file that `decode` accepts.
    static func check(_ model: StoredModel, metadata: ModelMetadata) throws(ModelFileError) {
        let als: ALSModel? =
            switch model {
            case .als(let m): m
            case .blend(let b): b.als
            default: nil
            }
        if let m = als {
            for (name, matrix) in [("user", m.userFactors), ("item", m.itemFactors)]
            where matrix.storage.count != matrix.rows * matrix.stride {
                throw .inconsistentHeader("the \(name) factor matrix holds \(matrix.storage.count) floats, not \(matrix.rows) rows × \(matrix.stride)")
            }
        }
        try validate(header(for: model, metadata: metadata), kind: kind(of: model), arrayCounts: arrayCounts(of: model))
    }

    static func kind(of model: StoredModel) -> Kind {
        switch model {
        case .als: return .als
        case .popularity: return .popularity
        case .knn: return .knn
        case .ease: return .ease
        case .blend: return .blend
        }
    }

    static func header(for model: StoredModel, metadata: ModelMetadata) -> Header {
        switch model {
        case .als(let m):
            let section = ALSSection(
                configuration: m.configuration, userRows: m.userFactors.rows, itemRows: m.itemFactors.rows,
                factors: m.userFactors.factors, loss: m.loss)
            return Header(metadata: metadata, als: section, popularity: nil)
        case .popularity(let p):
            return Header(metadata: metadata, als: nil, popularity: PopularitySection(items: p.scores.count))
        case .knn(let m):
            let section = KNNSection(configuration: m.configuration, items: m.similarity.rows, nonZeros: m.similarity.nonZeros)
            return Header(metadata: metadata, als: nil, popularity: nil, knn: section)
        case .ease(let m):
            return Header(metadata: metadata, als: nil, popularity: nil, knn: nil, ease: EASESection(configuration: m.configuration, items: m.itemCount))
        case .blend(let b):
            let section = ALSSection(
                configuration: b.als.configuration, userRows: b.als.userFactors.rows, itemRows: b.als.itemFactors.rows,
                factors: b.als.userFactors.factors, loss: b.als.loss)
            return Header(
                metadata: metadata, als: section, popularity: nil, knn: nil,
                ease: EASESection(configuration: b.ease.configuration, items: b.ease.itemCount), blend: BlendSection(easeWeight: b.easeWeight))
        }
    }

    /// The element count of each array the model writes.
    static func arrayCounts(of model: StoredModel) -> [UInt64] {
        switch model {
        case .als(let m):
            return [UInt64(m.userFactors.rows * m.userFactors.factors), UInt64(m.itemFactors.rows * m.itemFactors.factors)]
        case .popularity(let p):
            return [UInt64(p.scores.count)]
        case .knn(let m):
            return [UInt64(m.similarity.rowStart.count), UInt64(m.similarity.indices.count), UInt64(m.similarity.values.count)]
        case .ease(let m):
            return [UInt64(m.gram.count), UInt64(m.weights.count)]
        case .blend(let b):
            return [
                UInt64(b.als.userFactors.rows * b.als.userFactors.factors), UInt64(b.als.itemFactors.rows * b.als.itemFactors.factors),
                UInt64(b.ease.gram.count), UInt64(b.ease.weights.count)
            ]
        }
    }

    /// Bytes taken by the arrays and their counts.
    static func payloadSize(of model: StoredModel) -> Int {
        arrayCounts(of: model).reduce(0) { $0 + 8 + 4 * Int($1) }
    }

    static func encodeHeader(_ header: Header) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // the same model always gives the same bytes
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return Array(try encoder.encode(header))
        } catch {
            // Only strings, integers and (with the strategy above) any float: encoding cannot fail.
            preconditionFailure("encoding a model file header failed: \(error)")
        }
    }

    static func decodeHeader(_ bytes: ArraySlice<UInt8>) throws(ModelFileError) -> Header {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(Header.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .inconsistentHeader("the JSON header cannot be read: \(summary(error))")
        } catch {
            throw .inconsistentHeader("the JSON header cannot be read")
        }
    }

    /// A one-line account of a decoding error: where and what.
    static func summary(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
    }

    /// The SHA-256 of `bytes`.
    static func checksum(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(ModelFileError) {
        let temporary = path + ".tmp"
        if let failure = writeFile(bytes, to: temporary) {
            _ = unlink(temporary)
            throw .unwritable(path: temporary, reason: failure)
        }
        guard rename(temporary, path) == 0 else {
            let reason = lastError()
            _ = unlink(temporary)
            throw .unwritable(path: path, reason: reason)
        }
        syncDirectory(of: path)
    }

    // MARK: Reading

    /// Reads and checks the model file at `path`; throws `ModelFileError` (`.notFound` if there is none).
    public static func read(from path: String) throws -> (model: StoredModel, metadata: ModelMetadata) {
        try decode(try readFile(path))
    }

    /// The model in `bytes`, after checking lengths, checksum and consistency; never traps on any input.
    public static func decode(_ bytes: [UInt8]) throws(ModelFileError) -> (model: StoredModel, metadata: ModelMetadata) {
        let size = bytes.count
        let minimumSize = UInt64(prefixLength + checksumLength)

        // Prefix: magic, version, kind, header length.
        let magicBytes = min(size, magic.count)
        guard bytes[0..<magicBytes].elementsEqual(magic[0..<magicBytes]) else { throw .notATactModel }
        guard size >= 12 else { throw .truncated(expected: minimumSize, found: size) }
        let version = readUInt32(bytes, at: 8)
        guard version == formatVersion else { throw .unsupportedVersion(found: version, supported: formatVersion) }
        guard size >= prefixLength + checksumLength else { throw .truncated(expected: minimumSize, found: size) }
        let payloadEnd = size - checksumLength
        let checksumMatches = checksum(bytes[0..<payloadEnd]).elementsEqual(bytes[payloadEnd...])
        let rawKind = readUInt32(bytes, at: 12)
        guard let kind = Kind(rawValue: rawKind) else { throw checksumMatches ? .unsupportedKind(rawKind) : .checksumMismatch }

        // A length that runs past the end: a cut-off file, unless the checksum says the bytes are as written.
        func cutShort(_ expected: UInt64) -> ModelFileError {
            checksumMatches
                ? .inconsistentHeader("the lengths inside the file add up to more than its \(size) bytes")
                : .truncated(expected: expected, found: size)
        }

        // Walk the lengths: header, then each array's count and elements, each checked against what is left.
        var offset = prefixLength
        let headerLength = readUInt64(bytes, at: 16)
        guard headerLength <= UInt64(payloadEnd - offset) else {
            throw cutShort(saturatingSum(UInt64(offset), headerLength, UInt64(checksumLength)))
        }
        let headerRange = offset..<(offset + Int(headerLength))
        offset = headerRange.upperBound
        var arrays: [(offset: Int, count: Int)] = []
        for _ in 0..<kind.arrayCount {
            guard payloadEnd - offset >= 8 else { throw cutShort(UInt64(offset + 8 + checksumLength)) }
            let count = readUInt64(bytes, at: offset)
            offset += 8
            guard count <= UInt64(payloadEnd - offset) / 4 else {
                let (elementBytes, overflow) = count.multipliedReportingOverflow(by: 4)
                throw cutShort(overflow ? .max : saturatingSum(UInt64(offset), elementBytes, UInt64(checksumLength)))
            }
            arrays.append((offset, Int(count)))
            offset += Int(count) * 4
        }
        guard offset == payloadEnd else {
            throw checksumMatches ? .inconsistentHeader("\(payloadEnd - offset) unexpected bytes after the arrays") : .checksumMismatch
        }
        guard checksumMatches else { throw .checksumMismatch }

        // The bytes are as written; now check that they describe one consistent model.
        let header = try decodeHeader(bytes[headerRange])
        try validate(header, kind: kind, arrayCounts: arrays.map { UInt64($0.count) })
        switch kind {
        case .als:
            guard let section = header.als else { throw .inconsistentHeader("the header has no ALS section") }
            let users = readMatrix(bytes, at: arrays[0].offset, rows: section.userRows, factors: section.factors)
            let items = readMatrix(bytes, at: arrays[1].offset, rows: section.itemRows, factors: section.factors)
            let model = ALSModel(configuration: section.configuration, userFactors: users, itemFactors: items, loss: section.loss)
            return (.als(model), header.metadata)
        case .popularity:
            let scores = readFloats(bytes, at: arrays[0].offset, count: arrays[0].count)
            return (.popularity(PopularityModel(scores: scores)), header.metadata)
        case .knn:
            guard let section = header.knn else { throw .inconsistentHeader("the header has no item-kNN section") }
            let starts = readFloats(bytes, at: arrays[0].offset, count: arrays[0].count).map { Int($0.bitPattern) }
            let columns = readFloats(bytes, at: arrays[1].offset, count: arrays[1].count).map { Int32(bitPattern: $0.bitPattern) }
            let values = readFloats(bytes, at: arrays[2].offset, count: arrays[2].count)
            guard starts.first == 0, starts.last == section.nonZeros, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw .inconsistentHeader("the similarity row starts do not run from 0 to \(section.nonZeros) in order")
            }
            guard columns.allSatisfy({ $0 >= 0 && Int($0) < section.items }) else {
                throw .inconsistentHeader("a similarity column lies outside the \(section.items) items")
            }
            let similarity = SparseMatrix(rows: section.items, columns: section.items, rowStart: starts, indices: columns, values: values)
            return (.knn(ItemKNNModel(configuration: section.configuration, similarity: similarity)), header.metadata)
        case .ease:
            guard let section = header.ease else { throw .inconsistentHeader("the header has no EASE section") }
            let gram = readFloats(bytes, at: arrays[0].offset, count: arrays[0].count)
            let weights = readFloats(bytes, at: arrays[1].offset, count: arrays[1].count)
            return (.ease(EASEModel(configuration: section.configuration, itemCount: section.items, gram: gram, weights: weights)), header.metadata)
        case .blend:
            guard let als = header.als, let ease = header.ease, let blend = header.blend else { throw .inconsistentHeader("the header lacks a blend section") }
            let users = readMatrix(bytes, at: arrays[0].offset, rows: als.userRows, factors: als.factors)
            let items = readMatrix(bytes, at: arrays[1].offset, rows: als.itemRows, factors: als.factors)
            let gram = readFloats(bytes, at: arrays[2].offset, count: arrays[2].count)
            let weights = readFloats(bytes, at: arrays[3].offset, count: arrays[3].count)
            let model = BlendModel(
                ease: EASEModel(configuration: ease.configuration, itemCount: ease.items, gram: gram, weights: weights),
                als: ALSModel(configuration: als.configuration, userFactors: users, itemFactors: items, loss: als.loss),
                easeWeight: blend.easeWeight)
            return (.blend(model), header.metadata)
        }
    }

    /// Throws `.inconsistentHeader` unless the header matches the kind and the array lengths, and the ids match the rows.
    static func validate(_ header: Header, kind: Kind, arrayCounts: [UInt64]) throws(ModelFileError) {
        let metadata = header.metadata
        guard metadata.algorithm == kind.algorithm || metadata.algorithm == "dp-" + kind.algorithm else {
            throw .inconsistentHeader("the header names algorithm \"\(metadata.algorithm)\" but the file holds a \(kind.algorithm) model")
        }
        if let released = metadata.releasedPopularity, released.count != metadata.items.count {
            throw .inconsistentHeader("\(released.count) released popularity values for \(metadata.items.count) item ids")
        }
        guard arrayCounts.count == kind.arrayCount else {
            throw .inconsistentHeader("\(arrayCounts.count) arrays where a \(kind.algorithm) model has \(kind.arrayCount)")
        }
        switch kind {
        case .als:
            guard let section = header.als, header.popularity == nil, header.knn == nil, header.ease == nil, header.blend == nil else {
                throw .inconsistentHeader("the header does not have exactly one section, for ALS")
            }
            try validateALS(section, metadata: metadata, counts: arrayCounts[0...1])
        case .popularity:
            guard let section = header.popularity, header.als == nil, header.knn == nil, header.ease == nil, header.blend == nil else {
                throw .inconsistentHeader("the header does not have exactly one section, for popularity")
            }
            guard section.items >= 0, UInt64(section.items) == arrayCounts[0] else {
                throw .inconsistentHeader("the header says \(section.items) items but the file holds \(arrayCounts[0]) scores")
            }
            guard metadata.items.count == section.items else {
                throw .inconsistentHeader("\(metadata.items.count) item ids for \(section.items) scores")
            }
        case .knn:
            guard let section = header.knn, header.als == nil, header.popularity == nil, header.ease == nil, header.blend == nil else {
                throw .inconsistentHeader("the header does not have exactly one section, for item-kNN")
            }
            guard section.items >= 0, section.nonZeros >= 0, metadata.items.count == section.items else {
                throw .inconsistentHeader("\(metadata.items.count) item ids for \(section.items) items")
            }
            guard arrayCounts[0] == UInt64(section.items) + 1, arrayCounts[1] == UInt64(section.nonZeros), arrayCounts[2] == UInt64(section.nonZeros) else {
                throw .inconsistentHeader("the similarity arrays do not match \(section.items) items and \(section.nonZeros) neighbours")
            }
        case .ease:
            guard let section = header.ease, header.als == nil, header.popularity == nil, header.knn == nil, header.blend == nil else {
                throw .inconsistentHeader("the header does not have exactly one section, for EASE")
            }
            try validateEASE(section, metadata: metadata, counts: arrayCounts[0...1])
        case .blend:
            guard let als = header.als, let ease = header.ease, let blend = header.blend, header.popularity == nil, header.knn == nil else {
                throw .inconsistentHeader("the header does not have exactly the iALS, EASE and blend sections of a blend")
            }
            guard (0...1).contains(blend.easeWeight) else { throw .inconsistentHeader("EASE's weight \(blend.easeWeight) lies outside 0…1") }
            guard als.itemRows == ease.items else { throw .inconsistentHeader("the iALS part has \(als.itemRows) items and the EASE part \(ease.items)") }
            try validateALS(als, metadata: metadata, counts: arrayCounts[0...1])
            try validateEASE(ease, metadata: metadata, counts: arrayCounts[2...3])
        }
    }

    /// An iALS section against the ids and its two arrays' lengths.
    static func validateALS(_ section: ALSSection, metadata: ModelMetadata, counts: ArraySlice<UInt64>) throws(ModelFileError) {
        guard (1...maximumFactors).contains(section.factors) else {
            throw .inconsistentHeader("\(section.factors) factors, outside 1…\(maximumFactors)")
        }
        guard section.configuration.factors == section.factors else {
            throw .inconsistentHeader("the configuration says \(section.configuration.factors) factors but the matrices have \(section.factors)")
        }
        for (name, rows, ids, count) in [
            ("user", section.userRows, metadata.users.count, counts[counts.startIndex]),
            ("item", section.itemRows, metadata.items.count, counts[counts.startIndex + 1])
        ] {
            guard rows >= 0 else { throw .inconsistentHeader("\(rows) \(name) rows") }
            guard ids == rows else { throw .inconsistentHeader("\(ids) \(name) ids for \(rows) \(name) factor rows") }
            let (floats, overflow) = rows.multipliedReportingOverflow(by: section.factors)
            guard !overflow, UInt64(floats) == count else {
                throw .inconsistentHeader("the header says \(rows) \(name) rows × \(section.factors) factors but the file holds \(count) \(name) factors")
            }
        }
    }

    /// An EASE section against the ids and its two arrays' lengths.
    static func validateEASE(_ section: EASESection, metadata: ModelMetadata, counts: ArraySlice<UInt64>) throws(ModelFileError) {
        guard (0...maximumEASEItems).contains(section.items), metadata.items.count == section.items else {
            throw .inconsistentHeader("\(metadata.items.count) item ids for \(section.items) items (at most \(maximumEASEItems))")
        }
        let cells = UInt64(section.items * section.items)
        guard counts.allSatisfy({ $0 == cells }) else {
            throw .inconsistentHeader("the EASE matrices do not hold \(section.items) × \(section.items) floats each")
        }
    }

    static func readUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    static func readUInt64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    }

    /// `count` floats starting at `offset` (the caller has checked they are all there).
    static func readFloats(_ bytes: [UInt8], at offset: Int, count: Int) -> [Float] {
        precondition(offset >= 0 && count >= 0 && count <= (bytes.count - offset) / 4)
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { source in
            out.withUnsafeMutableBufferPointer { target in
                for i in 0..<count {
                    let bits = source.loadUnaligned(fromByteOffset: offset + 4 * i, as: UInt32.self)
                    target[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
        }
        return out
    }

    /// A factor matrix from `rows × factors` unpadded floats starting at `offset` (checked by the caller).
    static func readMatrix(_ bytes: [UInt8], at offset: Int, rows: Int, factors: Int) -> FactorMatrix {
        precondition(offset >= 0 && rows >= 0 && factors >= 0 && rows * factors <= (bytes.count - offset) / 4)
        var matrix = FactorMatrix(rows: rows, factors: factors)
        let stride = matrix.stride
        bytes.withUnsafeBytes { source in
            matrix.storage.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    for f in 0..<factors {
                        let bits = source.loadUnaligned(fromByteOffset: offset + 4 * (r * factors + f), as: UInt32.self)
                        target[r * stride + f] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                }
            }
        }
        return matrix
    }

    static func saturatingSum(_ values: UInt64...) -> UInt64 {
        var total: UInt64 = 0
        for value in values {
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { return .max }
            total = sum
        }
        return total
    }
}

/// Little-endian appends to a byte array.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendFloats(_ values: ArraySlice<Float>) {
        var offset = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * 4))
        bytes.withUnsafeMutableBytes { target in
            for value in values {
                target.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
            }
        }
    }

    /// The count `rows × factors`, then each row without its padding.
    mutating func append(_ matrix: FactorMatrix) {
        append(UInt64(matrix.rows * matrix.factors))
        for r in 0..<matrix.rows { appendFloats(matrix.row(r)) }
    }
}

// MARK: POSIX file access (free functions: inside `ModelFile`, `read` and `write` would name its own methods)

/// The description of the current `errno`.
private func lastError() -> String {
    String(cString: strerror(errno))
}

/// The whole file at `path`.
private func readFile(_ path: String) throws(ModelFileError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
        if errno == ENOENT { throw .notFound(path: path) }
        throw .unreadable(path: path, reason: lastError())
    }
    defer { _ = close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0 else { throw .unreadable(path: path, reason: lastError()) }
    guard (status.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(max(0, Int(status.st_size)))
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw .unreadable(path: path, reason: lastError())
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

/// Writes `bytes` to a new file at `path` and flushes it to disk; nil on success, else why it failed.
private func writeFile(_ bytes: [UInt8], to path: String) -> String? {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return lastError() }
    var failure: String? = nil
    bytes.withUnsafeBytes { source in
        var done = 0
        while done < source.count, let base = source.baseAddress {
            let n = write(fd, base + done, source.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                failure = lastError()
                return
            }
            done += n
        }
    }
    if failure == nil, fsync(fd) != 0 { failure = lastError() }
    if close(fd) != 0, failure == nil { failure = lastError() }
    return failure
}

/// Flushes the directory holding `path`, so a rename into it survives a crash (best effort).
private func syncDirectory(of path: String) {
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
    let fd = open(directory, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    _ = close(fd)
}
