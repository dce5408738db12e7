import Foundation
import NIOConcurrencyHelpers
import TactCore

/// The model being served. Requests take the current one; a retrained one replaces it in one step, so a
/// request sees either the old model or the new one, never a mix.
final class ModelRegistry: Sendable {
    private let state: NIOLockedValueBox<ServingModel>

    init(_ initial: ServingModel) { state = NIOLockedValueBox(initial) }

    var current: ServingModel { state.withLockedValue { $0 } }

    /// Puts `model` in service.
    func install(_ model: ServingModel) { state.withLockedValue { $0 = model } }
}
