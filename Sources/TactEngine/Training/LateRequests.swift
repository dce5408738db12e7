import TactCore
import TactRecommend
import TactStore

/// The people of a training's data whose erasure, restriction, withdrawal or rectification completed after the
/// data was read (request mark `mark`), with the items they have in it: the model trained on it must lose them
/// before it is served, as the model then in service lost them when each request completed.
struct LateRequests {
    var people: [Pseudonym] = []
    var items: Set<String> = []

    init(since mark: Int64, data: InteractionMatrix, engine: Engine) throws {
        // Requests name a person only by reference; each person of the data is matched by theirs.
        let references = Set(
            try engine.store.read { try $0.subjectRequests(reference: nil) }
                .filter { $0.id > mark && $0.status == .completed && $0.kind.changesModels }.map(\.reference))
        guard !references.isEmpty else { return }
        for (row, hex) in data.users.enumerated() {
            guard let person = Pseudonym(hex: hex), references.contains(engine.requestReferences.reference(for: person)) else { continue }
            people.append(person)
            for column in data.matrix.row(row).indices { items.insert(data.items[Int(column)]) }
        }
    }
}
