import Hummingbird
import TactCore
import TactEngine

extension CatalogCache: CatalogLookup {}

extension ServerState {
    /// Who gets which recommendation (`PersonalRecommendations`), over the model `model`.
    func recommendations(_ model: ServingModel) -> PersonalRecommendations {
        catalog.noticeOutsideChanges()
        return PersonalRecommendations(engine: engine, recommender: model.recommender, popularity: model.popularity, catalog: catalog)
    }

    /// A request carrying `Sec-GPC: 1` refuses sale-or-sharing and advertising for the person it is
    /// about (`ConsentService` decides what that means); answers kept for them are dropped when it did.
    func honourGlobalPrivacyControl(_ request: Request, for pseudonym: Pseudonym, actor: String) throws {
        guard request.globalPrivacyControl else { return }
        let refused = try ConsentService(engine: engine).applyGlobalPrivacyControl(pseudonym: pseudonym, actor: actor)
        if !refused.isEmpty { cache?.forget(pseudonym) }
    }
}
