import Foundation
import TactCore
import TactEngine
import TactRecommend
import Testing

@testable import TactServer

/// A retraining that read the store before an erasure completed must not serve what it trained: the
/// person would be back in the model. The save patches it under the model lock (`ModelStorage.saveUnlessChanged`)
/// and `ModelBuilder` serves the patched file; this drives an erasure into the middle of a training and checks
/// what was saved and what is served.
@Suite struct RetrainRaceTests {
    /// iALS that erases `person` while it trains, the first time only: the erasure completes after the
    /// training read its snapshot and before it saves.
    final class Count: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        /// Adds one and returns the new count.
        func next() -> Int {
            lock.withLock {
                value += 1; return value
            }
        }
        var current: Int { lock.withLock { value } }
    }

    struct ErasingTraining: ModelTraining, @unchecked Sendable {
        let als: ALSConfiguration
        let engine: Engine
        let person: String
        let trainings: Count

        var algorithmName: String { "als" }

        func train(_ matrix: SparseMatrix, progress: ImplicitALS.Progress?) throws -> TrainingOutcome {
            if trainings.next() == 1 { _ = try SubjectRights(engine: engine).erase(user: person, actor: "test") }
            return als.train(matrix, progress: progress)
        }

        func isSame(as other: any ModelTraining) -> Bool { false }
    }

    @Test("an erasure completing during a retraining: that model is saved and served only as patched without the person")
    func erasureDuringTraining() throws {
        let fixture = try ServerFixture()
        let trainings = Count()
        var als = ALSConfiguration()
        als.factors = 4
        als.iterations = 3
        als.threads = 1
        let training = ErasingTraining(als: als, engine: fixture.engine, person: "p3", trainings: trainings)
        let builder = ModelBuilder(engine: fixture.engine, spec: ModelSpec(training), parameters: [:], evaluates: false)
        let pseudonym = fixture.engine.pseudonymizer.pseudonym(for: "p3").hex
        let path = ModelDirectory(directory: fixture.engine.directory).modelPath(algorithm: "als")
        #expect(try ModelFile.read(from: path).metadata.users.contains(pseudonym), "the fixture's model holds p3 before the erasure")
        let served = try builder.train(version: 2)
        #expect(trainings.current == 1, "the training that read the data before the erasure lands (patched), instead of training again")
        #expect(!(try ModelFile.read(from: path).metadata.users.contains(pseudonym)))
        // What is served is the patched file (its newest published version, as of the erasure's mark), not what was trained.
        let artifacts = ModelArtifacts(engine: fixture.engine)
        #expect(served.artifactVersion == (try artifacts.latest(algorithm: "als")?.version ?? -1))
        #expect(served.requestMark == (try artifacts.requestMark()))
        #expect(served.recommender?.model != nil)
    }
}
