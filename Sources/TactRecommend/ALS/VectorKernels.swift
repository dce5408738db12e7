/// SIMD16 kernels over padded factor rows. Written as `acc + a * b`: `addingProduct` and `.fma`
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
        return acc.sum()
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

    /// out = M · v for a symmetric `stride`×`stride` matrix M (row-major), summing columns
    /// scaled by v's entries so no horizontal sums are needed.
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
