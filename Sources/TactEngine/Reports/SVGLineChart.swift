import Foundation

/// A small line chart drawn as SVG, for results people compare (privacy–utility, accuracy–diversity).
/// Series are polylines with markers, or horizontal reference lines; the x axis may be logarithmic.
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var points: [(x: Double, y: Double)]
        /// A horizontal line at this y instead of points (a reference such as a non-private model).
        public var reference: Double?
        public var dashed: Bool
        /// A short text beside each point (for example the parameter that gave it); empty for none.
        public var pointLabels: [String]

        public init(
            name: String, color: String, points: [(x: Double, y: Double)] = [], reference: Double? = nil, dashed: Bool = false,
            pointLabels: [String] = []
        ) {
            self.name = name
            self.color = color
            self.points = points
            self.reference = reference
            self.dashed = dashed
            self.pointLabels = pointLabels
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logX: Bool
    public var series: [Series]

    public init(title: String, xLabel: String, yLabel: String, logX: Bool = false, series: [Series]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logX = logX
        self.series = series
    }

    /// One panel, `width` × `height`, placed at (x, y) in the document.
    public func panel(x left: Double, y top: Double, width: Double, height: Double) -> String {
        let plot = (left: left + 60, top: top + 36, width: width - 80, height: height - 110)
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) + ($0.reference.map { [$0] } ?? []) }
        let mapX: (Double) -> Double = logX ? { log2($0) } : { $0 }
        var xMin = xs.map(mapX).min() ?? 0, xMax = xs.map(mapX).max() ?? 1
        // One x value (a single training, say): put it in the middle rather than on the axis.
        if xMax - xMin < 1e-9 { xMin -= 1; xMax += 1 }
        let yMax = Self.niceCeiling(max(ys.max() ?? 1, 1e-9))
        func px(_ v: Double) -> Double { plot.left + (mapX(v) - xMin) / (xMax - xMin) * plot.width }
        func py(_ v: Double) -> Double { plot.top + plot.height - v / yMax * plot.height }
        var svg = ""
        svg += "<text x=\"\(f(left + width / 2))\" y=\"\(f(top + 20))\" text-anchor=\"middle\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        svg += "<rect x=\"\(f(plot.left))\" y=\"\(f(plot.top))\" width=\"\(f(plot.width))\" height=\"\(f(plot.height))\" fill=\"none\" stroke=\"#999\"/>\n"
        for tick in 0...4 {
            let v = yMax * Double(tick) / 4
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(py(v)))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(py(v)))\" stroke=\"#eee\"/>\n"
            svg += "<text x=\"\(f(plot.left - 6))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\" font-size=\"11\">\(Self.label(v))</text>\n"
        }
        // Every distinct x gets a label, except one that would crowd the label before it.
        var lastLabel = -Double.infinity
        for v in Array(Set(xs)).sorted() where px(v) - lastLabel >= 44 {
            svg += "<text x=\"\(f(px(v)))\" y=\"\(f(plot.top + plot.height + 16))\" text-anchor=\"middle\" font-size=\"11\">\(Self.label(v))</text>\n"
            lastLabel = px(v)
        }
        svg +=
            "<text x=\"\(f(plot.left + plot.width / 2))\" y=\"\(f(plot.top + plot.height + 34))\" text-anchor=\"middle\" font-size=\"12\">\(Self.escape(xLabel))</text>\n"
        svg +=
            "<text transform=\"translate(\(f(left + 14)) \(f(plot.top + plot.height / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(Self.escape(yLabel))</text>\n"
        for (index, s) in series.enumerated() {
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            if let reference = s.reference {
                svg +=
                    "<line x1=\"\(f(plot.left))\" y1=\"\(f(py(reference)))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(py(reference)))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            } else {
                let path = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
                for (n, p) in s.points.enumerated() {
                    svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"3.5\" fill=\"\(s.color)\"/>\n"
                    if n < s.pointLabels.count, !s.pointLabels[n].isEmpty {
                        svg +=
                            "<text x=\"\(f(px(p.x) + 4))\" y=\"\(f(py(p.y) - 7))\" font-size=\"10\" fill=\"\(s.color)\">\(Self.escape(s.pointLabels[n]))</text>\n"
                    }
                }
            }
            // Legend below the axis label, two entries per line.
            let lx = plot.left + Double(index % 2) * plot.width / 2, ly = plot.top + plot.height + 54 + Double(index / 2) * 16
            svg += "<line x1=\"\(f(lx))\" y1=\"\(f(ly - 4))\" x2=\"\(f(lx + 22))\" y2=\"\(f(ly - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>\n"
            svg += "<text x=\"\(f(lx + 28))\" y=\"\(f(ly))\" font-size=\"11\">\(Self.escape(s.name))</text>\n"
        }
        return svg
    }

    /// A document holding `charts` side by side.
    public static func document(_ charts: [SVGLineChart], caption: String, panelWidth: Double = 440, panelHeight: Double = 360) -> String {
        let width = panelWidth * Double(charts.count), height = panelHeight + 24
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (i, chart) in charts.enumerated() { svg += chart.panel(x: Double(i) * panelWidth, y: 0, width: panelWidth, height: panelHeight) }
        svg += "<text x=\"8\" y=\"\(f(height - 8))\" font-size=\"10\" fill=\"#555\">\(escape(caption))</text>\n"
        return svg + "</svg>\n"
    }

    static func niceCeiling(_ v: Double) -> Double {
        let magnitude = pow(10, (log10(v)).rounded(.down))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= v { return step * magnitude }
        return 10 * magnitude
    }

    public static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
        // Three decimals at most, trailing zeros dropped: 0.125, 0.25, 0.5.
        var text = String(format: "%.3f", v)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

private func f(_ v: Double) -> String { String(format: "%.1f", v) }
