/// SIMD16 kernels over padded factor rows. Written as `acc + a * b`: the fused multiply-add methods
/// compile to a library call per lane on the default x86-64 target.
enum VectorKernels {
    /// x · y over `stride` floats (a multiple of 16).
    @inline(__always)
    static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ stride: Int) -> Float {
        var acc = SIMD16<Float>()
        var i = 0
        while i < stride {
            let a = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let b = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            acc = acc + a * b
            i += 16
        }
        // Halve twice in vector registers, then add the last four lanes.
        let eight = acc.lowHalf + acc.highHalf
        let four = eight.lowHalf + eight.highHalf
        return (four[0] + four[1]) + (four[2] + four[3])
    }

    /// y += a · x over `stride` floats.
    @inline(__always)
    static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ stride: Int) {
        var i = 0
        while i < stride {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// out = d ∘ v, elementwise over `stride` floats: a diagonal matrix times a vector.
    @inline(__always)
    static func diagonalMultiply(_ d: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ stride: Int) {
        var i = 0
        while i < stride {
            let dv = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD16<Float>.self)
            let vv = UnsafeRawPointer(v + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(out + i).storeBytes(of: dv * vv, as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// y += a0·x0 + a1·x1 over `count` floats (a multiple of 16).
    @inline(__always)
    static func axpy2(
        _ a0: Float, _ x0: UnsafePointer<Float>, _ a1: Float, _ x1: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        let s0 = SIMD16<Float>(repeating: a0), s1 = SIMD16<Float>(repeating: a1)
        var i = 0
        while i < count {
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            let v0: SIMD16<Float> = UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD16<Float>.self)
            let v1: SIMD16<Float> = UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + (v0 * s0 + v1 * s1), as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// y += a0·x0 + a1·x1 + a2·x2 + a3·x3 over `count` floats (a multiple of 16).
    @inline(__always)
    static func axpy4(
        _ a0: Float, _ x0: UnsafePointer<Float>, _ a1: Float, _ x1: UnsafePointer<Float>,
        _ a2: Float, _ x2: UnsafePointer<Float>, _ a3: Float, _ x3: UnsafePointer<Float>,
        _ y: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        let s0 = SIMD16<Float>(repeating: a0), s1 = SIMD16<Float>(repeating: a1)
        let s2 = SIMD16<Float>(repeating: a2), s3 = SIMD16<Float>(repeating: a3)
        var i = 0
        while i < count {
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
            let v0: SIMD16<Float> = UnsafeRawPointer(x0 + i).loadUnaligned(as: SIMD16<Float>.self)
            let v1: SIMD16<Float> = UnsafeRawPointer(x1 + i).loadUnaligned(as: SIMD16<Float>.self)
            let v2: SIMD16<Float> = UnsafeRawPointer(x2 + i).loadUnaligned(as: SIMD16<Float>.self)
            let v3: SIMD16<Float> = UnsafeRawPointer(x3 + i).loadUnaligned(as: SIMD16<Float>.self)
            let p01: SIMD16<Float> = v0 * s0 + v1 * s1
            let p23: SIMD16<Float> = v2 * s2 + v3 * s3
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + (p01 + p23), as: SIMD16<Float>.self)
            i += 16
        }
    }

    /// out = Σ_j v_j · (row j of M): M · v for a symmetric `stride`×`stride` matrix M (row-major),
    /// Mᵀ · v for any M. Sums scaled rows so no horizontal sums are needed.
    @inline(__always)
    static func symmetricMultiply(_ m: UnsafePointer<Float>, _ v: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ stride: Int, factors: Int) {
        if stride % 32 == 0 {
            // Two SIMD16 accumulators (8 SSE registers) per pass: four would spill on x86-64.
            var half = 0
            while half < stride {
                var a0 = SIMD16<Float>(), a1 = SIMD16<Float>()
                for j in 0..<factors {
                    let s = SIMD16<Float>(repeating: v[j])
                    let row = UnsafeRawPointer(m + j * stride + half)
                    a0 = a0 + row.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self) * s
                    a1 = a1 + row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) * s
                }
                let o = UnsafeMutableRawPointer(out + half)
                o.storeBytes(of: a0, toByteOffset: 0, as: SIMD16<Float>.self)
                o.storeBytes(of: a1, toByteOffset: 64, as: SIMD16<Float>.self)
                half += 32
            }
            return
        }
        for i in 0..<stride { out[i] = 0 }
        for j in 0..<factors { axpy(v[j], m + j * stride, out, stride) }
    }
}
