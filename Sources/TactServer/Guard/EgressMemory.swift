import Crypto
import Foundation
import NIOConcurrencyHelpers
import TactPrivacy

/// Which leaked values the Guard has already alerted on, so that personal data stuck in one catalog item makes
/// one alert, not one per answer that shows it. A value is remembered by a keyed hash (a random key per
/// process: no dictionary of e-mail addresses can be tried against it) of its type and bytes; at most
/// `capacity` are kept, and past that the memory starts over (at worst one more alert per value).
final class EgressMemory: Sendable {
    private let key = SymmetricKey(size: .bits256)
    private let seen = NIOLockedValueBox(Set<Data>())
    let capacity: Int

    init(capacity: Int = 1 << 16) { self.capacity = capacity }

    /// The findings in `body` not alerted on before (and now remembered).
    func unseen(_ findings: [PIIFinding], in body: [UInt8]) -> [PIIFinding] {
        let prints = findings.map { f -> Data in
            let value = body[max(0, f.byteStart)..<min(body.count, max(f.byteStart, f.byteEnd))]
            return Data(HMAC<SHA256>.authenticationCode(for: Array(f.type.rawValue.utf8) + [0] + Array(value), using: key))
        }
        return seen.withLockedValue { seen in
            if seen.count + prints.count > capacity { seen.removeAll(keepingCapacity: true) }
            return zip(findings, prints).filter { seen.insert($0.1).inserted }.map(\.0)
        }
    }
}
