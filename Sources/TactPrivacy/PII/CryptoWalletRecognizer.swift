import Crypto
import Foundation

/// Cryptocurrency wallet addresses: Bitcoin legacy and script addresses (Base58Check, version byte
/// 0x00 or 0x05, the double-SHA-256 checksum verified), Bitcoin SegWit addresses (bc1…, the bech32 or
/// bech32m checksum verified), and Ethereum addresses (0x and 40 hex digits).
enum CryptoWalletRecognizer {
    static let base58: [UInt8] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    static let bech32: [UInt8] = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    /// Each byte's value in the two alphabets (255: not in it), so decoding looks up instead of searching.
    static let base58Value: [UInt8] = table(base58)
    static let bech32Value: [UInt8] = table(bech32)

    static func table(_ alphabet: [UInt8]) -> [UInt8] {
        var t = [UInt8](repeating: 255, count: 256)
        for (v, c) in alphabet.enumerated() { t[Int(c)] = UInt8(v) }
        return t
    }

    /// Tries a match at the token start `i`; returns where this recognizer may look next.
    static func match(_ t: ScanText, at i: Int, into out: inout [Candidate]) -> Int {
        let b = t.bytes[i]
        guard b == 0x31 || b == 0x33 || b == 0x30 || b == 0x62 || b == 0x42 else { return i + 1 }
        var j = i
        while j < t.count, ScanText.isAlnum(t.bytes[j]) { j += 1 }
        let length = j - i
        if t.boundaryAfter(j) {
            if b == 0x30, length == 42, t[i + 1] == 0x78, t.bytes[(i + 2)..<j].allSatisfy(ScanText.isHex) {
                out.append(Candidate(type: .crypto, start: i, end: j, score: 0.9))
            } else if b == 0x31 || b == 0x33, (26...35).contains(length), base58Check(UnsafeBufferPointer(rebasing: t.bytes[i..<j])) {
                out.append(Candidate(type: .crypto, start: i, end: j, score: 1.0))
            } else if b == 0x62 || b == 0x42, (14...74).contains(length), t[i + 1] | 0x20 == 0x63, t[i + 2] == 0x31,
                segwit(UnsafeBufferPointer(rebasing: t.bytes[i..<j]))
            {
                out.append(Candidate(type: .crypto, start: i, end: j, score: 1.0))
            }
        }
        return max(i + 1, j)
    }

    /// Base58 decoding to 25 bytes, version 0 or 5, and the first four bytes of SHA-256(SHA-256(payload)) as checksum.
    /// Works on the token's bytes in place: nothing is allocated per candidate.
    static func base58Check(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var decoded = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))  // 32 bytes; the 25 used are 7..<32
        return withUnsafeMutableBytes(of: &decoded) { raw -> Bool in
            let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + 7
            let values = base58Value
            for c in token {
                let digit = values[Int(c)]
                guard digit != 255 else { return false }
                var carry = Int(digit)
                for k in stride(from: 24, through: 0, by: -1) {
                    carry += 58 * Int(bytes[k])
                    bytes[k] = UInt8(carry & 0xFF)
                    carry >>= 8
                }
                if carry != 0 { return false }
            }
            guard bytes[0] == 0x00 || bytes[0] == 0x05 else { return false }
            let once = SHA256.hash(data: UnsafeRawBufferPointer(start: bytes, count: 21))
            let twice = once.withUnsafeBytes { SHA256.hash(data: $0) }
            return twice.withUnsafeBytes { d in d[0] == bytes[21] && d[1] == bytes[22] && d[2] == bytes[23] && d[3] == bytes[24] }
        }
    }

    /// "bc1" and data characters with a valid bech32 (witness v0) or bech32m (v1+) checksum (BIP 173, BIP 350).
    static func segwit(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.count >= 10, token[0] | 0x20 == 0x62, token[1] | 0x20 == 0x63, token[2] == 0x31 else { return false }
        // One case throughout: all lowercase (with digits) or all uppercase.
        var lower = false, upper = false
        for c in token {
            if ScanText.isLower(c) { lower = true } else if ScanText.isUpper(c) { upper = true } else if !ScanText.isDigit(c) { return false }
        }
        guard !(lower && upper) else { return false }
        // Human-readable part "bc" expanded (3, 3, 0, 2, 3), then the data.
        var chk: UInt32 = 1
        for v: UInt32 in [3, 3, 0, 2, 3] { chk = polymodStep(chk, v) }
        let table = bech32Value
        for c in token[3...] {
            let v = table[Int(c | 0x20)]
            guard v != 255 else { return false }
            chk = polymodStep(chk, UInt32(v))
        }
        return chk == 1 || chk == 0x2BC8_30A3
    }

    /// One step of the bech32 checksum (BIP 173's polymod).
    @inline(__always) static func polymodStep(_ chk: UInt32, _ v: UInt32) -> UInt32 {
        let top = chk >> 25
        var c = (chk & 0x1FF_FFFF) << 5 ^ v
        if top & 1 != 0 { c ^= 0x3B6A_57B2 }
        if top & 2 != 0 { c ^= 0x2650_8E6D }
        if top & 4 != 0 { c ^= 0x1EA1_19FA }
        if top & 8 != 0 { c ^= 0x3D42_33DD }
        if top & 16 != 0 { c ^= 0x2A14_62B3 }
        return c
    }
}
