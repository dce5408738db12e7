import Foundation
import TactCore
import TactEngine
import TactStore

/// What the console's pages show, read from the store and this server's metrics.
struct ConsoleView {
    let state: ServerState
    var engine: Engine { state.engine }

    static func number(_ v: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", v) }

    /// What the model search chose and why, for a server that searches (no model flag).
    static func searchLine(_ choice: SearchChoice?, every seconds: Double) -> String {
        let again = seconds >= 3_600 ? "\(number(seconds / 3_600, 1)) h" : "\(Int(seconds)) s"
        guard let choice else { return "No model flag was given: the first training searches for the model (then again every \(again))." }
        var line = "Chosen by the model search \(PrivacyCenterView.time(choice.searchedAt)) UTC: \(choice.algorithm)"
        if let score = choice.score, let popularity = choice.popularityScore {
            line += ", validation NDCG@\(ModelQualityCheck.k) \(number(score)) against popularity's \(number(popularity))"
        }
        if let reason = choice.reason { line += " (\(reason))" }
        return line + ". It searches again every \(again)."
    }

    // MARK: Models and traffic

    func overview() throws -> [String: Any] {
        let evaluations = try ModelQualityCheck.recent(engine: engine, limit: 50)
        var values: [String: Any] = ["k": ModelQualityCheck.k]
        values["evaluations"] = evaluations.reversed().prefix(12).map { e -> [String: Any] in
            [
                "algorithm": e.algorithm, "version": e.artifactVersion, "at": PrivacyCenterView.time(e.recordedAt), "ndcg": Self.number(e.ndcg),
                "baseline": Self.number(e.baselineNDCG), "recall": Self.number(e.recall), "people": e.people, "seconds": Self.number(e.trainingSeconds, 2)
            ]
        }
        if !evaluations.isEmpty {
            let points = evaluations.enumerated().map { (x: Double($0.offset + 1), y: $0.element.ndcg) }
            let baseline = evaluations.enumerated().map { (x: Double($0.offset + 1), y: $0.element.baselineNDCG) }
            let chart = SVGLineChart(
                title: "Model quality, training by training", xLabel: "training (oldest first)", yLabel: "NDCG@\(ModelQualityCheck.k)",
                series: [
                    .init(name: "model in service", color: "#0b4f9c", points: points),
                    .init(name: "popularity", color: "#829ab1", points: baseline, dashed: true)
                ])
            values["qualityChart"] = SVGLineChart.document([chart], caption: "Held out: 20% of each person's items.", panelWidth: 640, panelHeight: 300)
                .replacingOccurrences(of: "<svg ", with: "<svg role=\"img\" aria-label=\"Model quality over time\" ")
        }
        if let latest = evaluations.last, latest.ndcg < latest.baselineNDCG {
            values["qualityWarning"] =
                "The newest model (\(latest.algorithm) v\(latest.artifactVersion)) scores below popularity on held-out data: NDCG@\(latest.k) \(Self.number(latest.ndcg)) against \(Self.number(latest.baselineNDCG)). Its settings may not suit this data: try 'tact tune', or serve --algorithm popular until there is more data."
        }
        let current = state.registry.current
        values["model"] =
            "\(current.algorithm), served version \(current.version) (store version \(current.artifactVersion)), trained \(PrivacyCenterView.time(current.trainedAt)) UTC"
        if let refusal = current.refusal {
            values["modelRefusal"] =
                "Serving popularity: \(refusal). Retrain with other settings, leave out the model flags to let the search choose, or start the server with --serve-below-popularity."
        }
        if state.settings.modelSearch != nil {
            values["searchLine"] = Self.searchLine(
                SearchChoice.load(from: ModelDirectory(directory: engine.directory)), every: state.settings.searchEverySeconds)
        }

        let minutes = state.metrics.activity.ingestion()
        let accepted = minutes.reduce(0) { $0 + $1.accepted }, refused = minutes.reduce(0) { $0 + $1.refused }
        let stats = try engine.statistics()
        values["ingestionText"] =
            "In the last hour this server accepted \(accepted) events and refused \(refused) (no consent). The store holds \(stats.interactions) events of \(stats.subjects) people on \(stats.items) items."
        let groups = minutes.enumerated().map { i, m in
            SVGBarChart.Group(label: i == minutes.count - 1 ? "now" : "-\(minutes.count - 1 - i) min", values: [Double(m.accepted), Double(m.refused)])
        }
        values["ingestionChart"] = SVGBarChart(
            title: "Events per minute", yLabel: "events",
            series: [.init(name: "accepted", color: "#1f7a3a"), .init(name: "refused (no consent)", color: "#a4161a")],
            groups: groups, labelEvery: 10
        ).svg(width: 720, height: 260)
        values["latencies"] = state.metrics.activity.latencies().prefix(15).map { r -> [String: Any] in
            ["route": r.route, "requests": r.requests, "p50": Self.number(r.p50Milliseconds, 2), "p99": Self.number(r.p99Milliseconds, 2)]
        }
        values["window"] = RecentActivity.latenciesKept
        return values
    }

    // MARK: Consent, budget and requests

    func privacy() throws -> [String: Any] {
        let gate = engine.gate
        let (people, decisions) = try ConsentService(engine: engine).decisions()
        var rows: [[String: Any]] = []
        var groups: [SVGBarChart.Group] = []
        for p in Purpose.allCases {
            let d = decisions[p] ?? [:]
            let granted = d.values.filter { $0 == .grant }.count, refused = d.values.filter { $0 == .deny }.count
            let undecided = max(0, people - granted - refused)
            let defaultPermitted = gate.permits(p, state: ConsentState())
            let permitted = p == .essential ? people : granted + (defaultPermitted ? undecided : 0)
            let rate = people > 0 ? Double(permitted) / Double(people) * 100 : 0
            rows.append(["purpose": p.rawValue, "permitted": Int(rate.rounded()), "granted": granted, "refused": refused, "undecided": undecided])
            groups.append(.init(label: p.rawValue, values: [rate]))
        }
        var values: [String: Any] = ["people": people, "mode": engine.configuration.consentMode.rawValue, "consent": rows]
        values["consentChart"] = SVGBarChart(
            title: "Permitted now, per purpose", yLabel: "% of people", series: [.init(name: "permitted", color: "#0b4f9c")],
            groups: groups
        ).svg(width: 720, height: 260)

        let ledger = PrivacyLedger(engine: engine)
        let releases = try ledger.releases()
        values["releases"] = releases.reversed().prefix(20).map { r -> [String: Any] in
            [
                "release": r.release, "dataset": r.dataset, "mechanism": r.mechanism, "epsilon": Self.number(r.epsilon, 3),
                "delta": String(format: "%.1e", r.delta), "at": PrivacyCenterView.time(r.recordedAt)
            ]
        }
        var running = 0.0
        let budgetGroups = releases.suffix(20).enumerated().map { i, r -> SVGBarChart.Group in
            running += r.epsilon
            return .init(label: "#\(releases.count - min(releases.count, 20) + i + 1)", values: [r.epsilon, running])
        }
        values["budgetChart"] = SVGBarChart(
            title: "Privacy budget spent per release", yLabel: "ε",
            series: [.init(name: "ε of the release", color: "#0b4f9c"), .init(name: "running total", color: "#f2a900")],
            groups: budgetGroups, reference: (ledger.budget.epsilon, "budget ε = \(SVGLineChart.label(ledger.budget.epsilon))")
        ).svg(width: 720, height: 280)
        let spent = releases.filter { $0.dataset == PrivacyLedger.interactionsDataset }.reduce(0) { $0 + $1.epsilon }
        values["budgetText"] =
            "The interactions dataset has spent ε = \(Self.number(spent, 3)) of its budget ε = \(SVGLineChart.label(ledger.budget.epsilon)) (δ = \(ledger.budget.delta)); a release past it is refused before anything is released."

        // What each retention run deleted, or why it was refused.
        values["retention"] = try RetentionJob(engine: engine).recentRuns(limit: 5).map { run -> [String: Any] in
            let done = run.categories.filter { $0.action != .kept && $0.action != .notApplied }
            return [
                "at": PrivacyCenterView.time(run.ranAt), "refused": run.refused,
                "done": done.isEmpty ? "nothing to apply" : done.map { "\($0.name): \($0.summary)" }.joined(separator: "; ")
            ]
        }

        let now = Int64(Date().timeIntervalSince1970)
        let requests = try SubjectRights(engine: engine).allRequests()
        let open = requests.filter { $0.status != .completed && $0.status != .refused }
        let overdue = open.filter { $0.dueAt < now }
        values["requestsText"] =
            "\(requests.count) request\(requests.count == 1 ? "" : "s") in all; \(open.count) open, \(overdue.count) past the deadline. Deadlines: \(engine.configuration.consentMode == .optIn ? "one month (GDPR)" : "45 days (CCPA)")."
        values["requests"] = requests.reversed().prefix(30).map { r -> [String: Any] in
            let isOpen = r.status != .completed && r.status != .refused
            let days = (r.dueAt - now) / 86_400
            let deadline =
                isOpen ? (r.dueAt < now ? "overdue by \(-days) days" : "\(days) days left") : "answered \(r.completedAt.map(PrivacyCenterView.time) ?? "")"
            return [
                "id": r.id, "kind": r.kind.rawValue, "status": r.status.rawValue, "received": PrivacyCenterView.time(r.receivedAt),
                "due": PrivacyCenterView.day(r.dueAt), "deadline": deadline, "overdue": isOpen && r.dueAt < now
            ]
        }
        return values
    }

    // MARK: Audit and Guard

    func security(operatorKey: String) throws -> [String: Any] {
        let (entries, checkpoint) = try engine.audit.reach()
        let alerts = try engine.guardRecords.alerts(limit: 30)
        let keys = try APIKeyService(engine: engine).list()
        var values: [String: Any] = [:]
        let checkpointText =
            checkpoint.map { "The newest signed checkpoint covers entry \($0.entryID) (\(PrivacyCenterView.time($0.at)) UTC)." }
            ?? "No signed checkpoint yet."
        values["auditText"] =
            "The audit log holds \(entries) entries, each chained to the one before by its hash. \(checkpointText) Verifying walks the whole chain and checks every checkpoint's signature."
        values["alerts"] = alerts.map { a -> [String: Any] in
            let keyID = a.principal.hasPrefix("key:") ? String(a.principal.dropFirst(4)) : nil
            let key = keyID.flatMap { id in keys.first { $0.id == id } }
            return [
                "at": PrivacyCenterView.time(a.at), "severity": a.severity, "kind": a.kind, "principal": a.principal, "explanation": a.explanation,
                "action": a.action, "id": a.id ?? 0, "suspendKey": keyID ?? "",
                "canSuspendKey": key.map { !$0.isRevoked && !$0.isSuspended && $0.id != operatorKey } == true
            ]
        }
        values["keys"] = keys.map { k -> [String: Any] in
            let status = k.isRevoked ? "revoked" : k.isSuspended ? "suspended" + (k.suspensionReason.map { ": \($0)" } ?? "") : "active"
            return [
                "id": k.id, "name": k.name, "scopes": k.scopes.joined(separator: ", "), "role": k.role.isEmpty ? "none" : k.role, "status": status,
                "canSuspend": !k.isRevoked && !k.isSuspended && k.id != operatorKey, "canReinstate": !k.isRevoked && k.isSuspended
            ]
        }
        return values
    }
}
