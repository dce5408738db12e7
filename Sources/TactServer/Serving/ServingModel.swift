import Foundation
import TactCore
import TactEngine
import TactRecommend

/// One trained model and its popularity fallback, served together and replaced together.
struct ServingModel: Sendable {
    /// The personalized model; nil until there is consented data to train on.
    let recommender: ModelRecommender?
    /// Everyone's favourites, as this configuration may show them (`ModelBuilder.popularitySource`):
    /// exact counts over consented training data, or a private model's own release. The fallback for
    /// people without personalization, top-ups, playlists for everyone and the novelty discount.
    let popularity: TrainedPopularity
    /// Counts up from 1 with every model this server has served.
    let version: Int
    /// When the model was trained, in seconds since 1970.
    let trainedAt: Int64
    let algorithm: String
    /// `StoreReader.latestModelChangingRequest()` as of the data this model holds: when the store's is
    /// higher, an erasure, restriction or withdrawal completed since, and the saved (patched) model must be served.
    let requestMark: Int64
    /// The store's version of the saved model this one was loaded from or saved as (`ModelArtifacts`);
    /// 0 when none. A higher version in the store is a model another server or `tact train` saved.
    var artifactVersion: Int64 = 0
    /// Why the model the flags name is not served (it scored below popularity on validation, and popularity
    /// is served instead); nil when it is served.
    var refusal: String? = nil
}
