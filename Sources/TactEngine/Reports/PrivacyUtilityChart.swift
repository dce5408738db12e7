/// The privacy–utility report drawn: recall@20 and NDCG@10 against ε, DP models as lines, the
/// non-private models as reference lines.
public struct PrivacyUtilityChart: Sendable {
    public let report: PrivacyUtilityReport

    public init(report: PrivacyUtilityReport) { self.report = report }

    public var svg: String {
        func chart(_ title: String, _ metric: (PrivacyUtilityReport.Row) -> Double) -> SVGLineChart {
            func points(_ model: String) -> [(x: Double, y: Double)] {
                report.rows.filter { $0.model == model && $0.epsilon != nil }.map { (x: $0.epsilon!, y: metric($0)) }
            }
            func reference(_ model: String) -> Double? { report.rows.first { $0.model == model && $0.epsilon == nil }.map(metric) }
            return SVGLineChart(
                title: title, xLabel: "ε (log scale), δ = \(report.delta)", yLabel: title, logX: true,
                series: [
                    .init(name: "DP-ALS", color: "#1f77b4", points: points("DP-ALS")),
                    .init(name: "DP popularity", color: "#ff7f0e", points: points("DP popularity")),
                    .init(name: "iALS (no privacy)", color: "#1f77b4", reference: reference("iALS"), dashed: true),
                    .init(name: "popularity (no privacy)", color: "#ff7f0e", reference: reference("popularity"), dashed: true)
                ])
        }
        let caption =
            "\(report.people) people, \(report.items) items, \(report.trainInteractions) training interactions; DP-ALS k = \(report.dpALS.factors), \(report.dpALS.iterations) iteration\(report.dpALS.iterations == 1 ? "" : "s"), at most \(report.dpALS.maxItemsPerPerson) items per person"
        return SVGLineChart.document([chart("recall@20", \.recallAt20), chart("NDCG@10", \.ndcgAt10)], caption: caption)
    }
}
