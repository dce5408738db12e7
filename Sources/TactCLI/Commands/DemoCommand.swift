import ArgumentParser
import Foundation
import TactCore
import TactEngine
import TactPrivacy
import TactRecommend
import TactServer
import TactStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Tact end to end on synthetic data: consent, pseudonymous import, training, recommendations with reasons.",
        discussion: """
            Creates a fresh demo data directory (default ./tact-demo; an earlier demo there is replaced). \
            With --port, then serves it over HTTP and prints sign-in links to the privacy center (as the demo person u1) and the operator console (as the demo operator), a demo API key, a person token and curl commands to try.
            """)

    @Option(help: ArgumentHelp("The demo's data directory.", valueName: "DIR")) var data = "./tact-demo"
    @Option(help: "Number of people.") var users = 2_000
    @Option(help: "Number of catalog items.") var items = 400
    @Option(help: "Number of interaction events.") var interactions = 60_000
    @Option(help: "Random seed.") var seed: UInt64 = 7
    @Option(help: "After the demo, serve it over HTTP on this port (on 127.0.0.1).") var port: Int?

    func validate() throws {
        guard users >= 25 else { throw ValidationError("--users must be at least 25") }
        guard items >= 10 else { throw ValidationError("--items must be at least 10") }
        guard interactions >= users else { throw ValidationError("--interactions must be at least --users") }
        if let port, !(1...65_535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    /// Every 25 people: 20 grant personalization and model training, 3 personalization only, 2 nothing.
    enum Profile: String, CaseIterable {
        case everything = "personalization + model-training"
        case personalizationOnly = "personalization only"
        case nothing = "no consent"

        init(userIndex i: Int) {
            switch i % 25 {
            case 0..<20: self = .everything
            case 20..<23: self = .personalizationOnly
            default: self = .nothing
            }
        }

        var purposes: [Purpose] {
            switch self {
            case .everything: return [.personalization, .modelTraining]
            case .personalizationOnly: return [.personalization]
            case .nothing: return []
            }
        }
    }

    func run() throws {
        let started = Date()
        // The demo makes and removes its own data: always an embedded SQLite file, whatever TACT_DATABASE_URL says.
        let dir = DataDirectory(path: data, database: data + "/tact.sqlite")
        try removeEarlierDemo(dir)
        print("Tact demo: a privacy-first personalization engine, end to end.\n")

        // 1. Synthetic data.
        let spec = SyntheticDataSpec(users: users, items: items, interactions: interactions, seed: seed)
        let generator = SyntheticDataGenerator(spec: spec)
        let files = try generator.write(to: data + "/synthetic")
        print("1. Generated \(grouped(items)) items and \(grouped(interactions)) events by \(grouped(users)) people (seed \(seed)).")

        // 2. A data directory with opt-in consent.
        try dir.initialize(mode: .optIn)
        let engine = try dir.open()
        print("2. Created \(data): consent mode opt-in (GDPR), policy \(engine.policy.version), secret in secret.key (mode 0600).")

        // 3. Consent, as people would give it in a consent prompt.
        let consent = ConsentService(engine: engine)
        var counts: [Profile: Int] = [:]
        for i in 1...users {
            let profile = Profile(userIndex: i)
            counts[profile, default: 0] += 1
            if !profile.purposes.isEmpty { try consent.record(user: "u\(i)", purposes: profile.purposes, decision: .grant, note: "demo consent prompt") }
        }
        print("3. Recorded consent: " + Profile.allCases.map { "\(grouped(counts[$0] ?? 0)) \($0.rawValue)" }.joined(separator: ", ") + ".")

        // 4. Import through the consent gate and the pseudonymizer.
        _ = try CatalogImporter(engine: engine).importItems(try ItemFileFormat.csv.open(path: files.items), source: "items.csv")
        let report = try Ingestor(engine: engine).ingest(
            try InteractionFileFormat.csv.open(path: files.interactions), options: IngestOptions(source: "interactions.csv"))
        print(
            "4. Imported \(grouped(report.read)) events in \(fixed(report.seconds, 2)) s: \(grouped(report.stored)) stored under the pseudonyms of \(grouped(report.subjectsStored)) people, \(grouped(report.refusedTotal)) refused (no consent) and not stored."
        )

        // 5. Train on the events of people who allowed model training.
        let snapshot = try TrainingSnapshot.read(from: engine)
        var configuration = ALSConfiguration()
        configuration.factors = 32
        configuration.iterations = 15
        configuration.regularization = 0.05
        configuration.alpha = 2
        let trained = try ModelTrainer.train(snapshot.data.matrix, spec: .als(configuration)) { iteration, loss, _ in
            Terminal.progress("   training iALS: iteration \(iteration)/\(configuration.iterations), loss \(String(format: "%.5f", loss))")
        }
        Terminal.endProgress()
        let models = ModelDirectory(directory: dir)
        try models.create()
        try ModelStorage.save(
            trained, algorithm: "als", data: snapshot.data, parameters: ["factors": "32", "iterations": "15", "regularization": "0.05", "alpha": "2"],
            to: models.modelPath(algorithm: "als"))
        let artifact = try ModelArtifacts(engine: engine).publish(algorithm: "als")
        print(
            "5. Trained iALS (32 factors, 15 iterations, loss \(String(format: "%.5f", trained.als!.loss.first!)) → \(String(format: "%.5f", trained.als!.loss.last!))) in \(fixed(trained.seconds, 2)) s on \(grouped(snapshot.data.matrix.nonZeros)) (person, item) pairs of \(grouped(snapshot.subjectsUsed)) people; \(grouped(snapshot.subjectsExcluded)) left out (no model-training consent)."
        )

        // 6. How much better than popularity, on held-out data.
        let split = EvaluationData.split(snapshot.data, holdOut: .random(fraction: 0.2, seed: seed))
        let als = try ModelTrainer.evaluate(split, spec: .als(configuration), k: 10).metrics
        let popular = try ModelTrainer.evaluate(split, spec: .popular, k: 10).metrics
        // The console's model-quality chart starts with this one.
        try ModelQualityCheck.save(
            ModelEvaluation(
                algorithm: "als", artifactVersion: artifact.version, recordedAt: Int64(Date().timeIntervalSince1970),
                k: 10, ndcg: als.ndcg, recall: als.recall, baselineNDCG: popular.ndcg, baselineRecall: popular.recall,
                people: snapshot.subjectsUsed, pairs: snapshot.data.matrix.nonZeros, trainingSeconds: trained.seconds),
            engine: engine)
        print(
            "6. Held out 20% of each person's items: NDCG@10 \(fixed(als.ndcg, 3)) for iALS against \(fixed(popular.ndcg, 3)) for popularity; recall@10 \(fixed(als.recall, 3)) against \(fixed(popular.recall, 3))."
        )

        // 7. Recommendations with reasons.
        let recommender = try ModelRecommender(engine: engine, model: trained.als!, itemIDs: snapshot.data.items)
        let popularRecommender = PopularityRecommender(engine: engine)
        let popularity = try popularRecommender.train(halfLifeDays: 30)
        print("7. Recommendations:")
        for profile in Profile.allCases {
            guard let i = (1...users).first(where: { Profile(userIndex: $0) == profile }) else { continue }
            let user = "u\(i)"
            if let recs = try recommender.recommend(user: user, k: 5) {
                let note = profile == .personalizationOnly ? " (their events trained nothing; their history is folded in only for them)" : ""
                print("\n   \(user), \(profile.rawValue): personalized\(note)")
                for (rank, rec) in recs.enumerated() {
                    let because = rec.reasons.map { "\(label($0.item)) \(Int(($0.share * 100).rounded()))%" }.joined(separator: ", ")
                    print("     \(rank + 1). \(label(rec.item))\n        because you had: \(because)")
                }
            } else {
                let result = try popularRecommender.recommend(user: user, model: popularity, k: 5)
                print("\n   \(user), \(profile.rawValue): not personalized, so everyone's recent favourites")
                for (rank, rec) in result.items.enumerated() {
                    print("     \(rank + 1). \(label(rec.item)) (popular lately, #\(rank + 1))")
                }
            }
        }
        let s = try engine.statistics()
        print(
            "\nStored: \(grouped(s.subjects)) pseudonyms, \(grouped(s.items)) items, \(grouped(s.interactions)) events, \(grouped(s.consentRecords)) consent records, \(grouped(s.auditEntries)) audit entries. Raw user ids are never stored: only HMAC pseudonyms."
        )
        print(
            "Done in \(fixed(Date().timeIntervalSince(started), 1)) s. Explore: tact recommend u1 --data \(data); tact playlist u1 --data \(data); tact explain u1 ITEM --data \(data); tact subject export u1 --data \(data); tact stats --data \(data)"
                + (port == nil
                    ? "; or serve it over HTTP, with the privacy center (/privacy) and the operator console (/console) signed in for you: tact demo --port 8080"
                    : ""))
        if let port { try serve(engine: engine, configuration: configuration, port: port) }
    }

    /// Serves the demo over HTTP, with a key, a person token and commands to try.
    private func serve(engine: Engine, configuration: ALSConfiguration, port: Int) throws {
        let (record, key) = try APIKeyService(engine: engine).create(
            name: "demo", scopes: [.ingest, .recommend, .catalog, .subjects, .audit, .admin], actor: "demo")
        let now = Int64(Date().timeIntervalSince1970)
        let token = engine.personTokens.sign(
            PersonToken(subject: engine.pseudonymizer.pseudonym(for: "u1"), keyID: record.id, issuedAt: now, expiresAt: now + 3_600))
        let session = engine.operatorSessions.sign(OperatorSession(keyID: record.id, issuedAt: now, expiresAt: now + 8 * 3_600))
        var settings = ServerSettings()
        settings.port = port
        settings.model = .als(configuration)
        settings.retrainAfterEvents = 1_000
        let api = try TactAPI(engine: engine, settings: settings)
        let base = "http://127.0.0.1:\(port)"
        print(
            """

            Serving the demo on \(base) (stop with Ctrl-C). The API is described at \(base)/openapi.json.

            Open in a browser:
              Privacy center, signed in as the demo person u1 (for an hour):
                \(base)/privacy/signin?token=\(token)
              Operator console, signed in as the demo operator (for 8 hours):
                \(base)/console/signin?token=\(session)

            Demo API key (every scope; shown once, only its SHA-256 is stored):
              \(key)
            Person token for u1 (reads only u1's recommendations and consent; expires in an hour):
              \(token)

            Try:
              curl -s -H 'Authorization: Bearer \(key)' '\(base)/v1/people/u1/recommendations?k=5'
              curl -s -H 'Authorization: Bearer \(token)' '\(base)/v1/people/u1/consent'
              curl -s -H 'Authorization: Bearer \(token)' '\(base)/v1/people/u2/consent'      # 403: not u1's
              curl -s -H 'Authorization: Bearer \(key)' -H 'Content-Type: application/json' \\
                   -d '{"events":[{"user":"u1","item":"i3","kind":"play"}]}' '\(base)/v1/events'
              curl -s -H 'Authorization: Bearer \(key)' -H 'Sec-GPC: 1' '\(base)/v1/people/u1/placements'
              curl -s '\(base)/metrics'
              open \(base)/policy
            """)
        fflush(nil)  // the key and token must be readable now, even when output goes to a file or a pipe
        try AsyncBridge.run { try await api.run() }
    }

    /// Removes only what an earlier demo wrote, and refuses to touch a directory that is not a demo's.
    private func removeEarlierDemo(_ dir: DataDirectory) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: dir.path) else { return }
        let contents = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
        let ours: Set<String> = [
            "tact.sqlite", "tact.sqlite-wal", "tact.sqlite-shm", "secret.key", "keys.sqlite", "keys.sqlite-journal", "audit-signing.key",
            "audit-checkpoints.log", "config.json", "policy.json", "synthetic", "models"
        ]
        if let foreign = contents.first(where: { !ours.contains($0) }) {
            throw UsageError("\(dir.path) holds '\(foreign)', which the demo did not write; choose another directory with --data")
        }
        for name in contents { try fm.removeItem(atPath: dir.path + "/" + name) }
    }
}
