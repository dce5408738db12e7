import Foundation

/// A bar chart drawn as SVG: one group of bars per label, one bar per series, with an optional
/// dashed reference line (a budget, a target). Every text is escaped; no inline styles, so pages
/// with a strict Content-Security-Policy can embed it.
public struct SVGBarChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public init(name: String, color: String) {
            self.name = name
            self.color = color
        }
    }

    public struct Group: Sendable {
        public var label: String
        /// One value per series.
        public var values: [Double]
        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public var title: String
    public var yLabel: String
    public var series: [Series]
    public var groups: [Group]
    public var reference: (value: Double, label: String)?
    /// Label every n-th group only (long time axes).
    public var labelEvery: Int

    public init(
        title: String, yLabel: String, series: [Series], groups: [Group], reference: (value: Double, label: String)? = nil,
        labelEvery: Int = 1
    ) {
        self.title = title
        self.yLabel = yLabel
        self.series = series
        self.groups = groups
        self.reference = reference
        self.labelEvery = max(1, labelEvery)
    }

    /// The chart as one `<svg>` element, `width` × `height`, described for screen readers by `title`.
    public func svg(width: Double = 640, height: Double = 300) -> String {
        let plot = (left: 64.0, top: 34.0, width: width - 84, height: height - 96)
        let values = groups.flatMap(\.values) + (reference.map { [$0.value] } ?? [])
        let highest = values.max() ?? 0
        let yMax = SVGLineChart.niceCeiling(highest > 0 ? highest : 1)
        func py(_ v: Double) -> Double { plot.top + plot.height - v / yMax * plot.height }
        let escape = SVGLineChart.escape
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        svg += "<text x=\"\(f(width / 2))\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"14\">\(escape(title))</text>\n"
        for tick in 0...4 {
            let v = yMax * Double(tick) / 4
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(py(v)))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(py(v)))\" stroke=\"#e4e7eb\"/>\n"
            svg += "<text x=\"\(f(plot.left - 6))\" y=\"\(f(py(v) + 4))\" text-anchor=\"end\" font-size=\"11\">\(SVGLineChart.label(v))</text>\n"
        }
        svg +=
            "<text transform=\"translate(14 \(f(plot.top + plot.height / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">\(escape(yLabel))</text>\n"
        let slot = plot.width / Double(max(groups.count, 1))
        let barWidth = max(1, slot * 0.8 / Double(max(series.count, 1)))
        for (g, group) in groups.enumerated() {
            let x0 = plot.left + Double(g) * slot + slot * 0.1
            for (s, value) in group.values.enumerated() where s < series.count && value > 0 {
                let top = py(value)
                svg +=
                    "<rect x=\"\(f(x0 + Double(s) * barWidth))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(plot.top + plot.height - top))\" fill=\"\(series[s].color)\"><title>\(escape(group.label)): \(escape(series[s].name)) \(SVGLineChart.label(value))</title></rect>\n"
            }
            if g % labelEvery == 0 {
                svg +=
                    "<text x=\"\(f(x0 + slot * 0.4))\" y=\"\(f(plot.top + plot.height + 16))\" text-anchor=\"middle\" font-size=\"11\">\(escape(group.label))</text>\n"
            }
        }
        svg +=
            "<line x1=\"\(f(plot.left))\" y1=\"\(f(plot.top + plot.height))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(plot.top + plot.height))\" stroke=\"#52606d\"/>\n"
        if let reference {
            svg +=
                "<line x1=\"\(f(plot.left))\" y1=\"\(f(py(reference.value)))\" x2=\"\(f(plot.left + plot.width))\" y2=\"\(f(py(reference.value)))\" stroke=\"#a4161a\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            svg +=
                "<text x=\"\(f(plot.left + plot.width))\" y=\"\(f(py(reference.value) - 5))\" text-anchor=\"end\" font-size=\"11\" fill=\"#a4161a\">\(escape(reference.label))</text>\n"
        }
        for (i, s) in series.enumerated() {
            let lx = plot.left + Double(i) * 180, ly = height - 14
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(s.color)\"/>\n"
            svg += "<text x=\"\(f(lx + 18))\" y=\"\(f(ly))\" font-size=\"12\">\(escape(s.name))</text>\n"
        }
        return svg + "</svg>\n"
    }
}

private func f(_ v: Double) -> String { String(format: "%.1f", v) }
