/// EASE and iALS trained on the same data, served together: a person's score for an item is
/// `w · e / σₑ + (1 − w) · a / σₐ`, where e and a are the two models' scores and σ each one's spread
/// (standard deviation) over the items the person has not had. Dividing by the spread puts the two
/// scales side by side; the mean each standardization would also subtract is the same for every item of
/// one person, so leaving it out ranks alike and keeps the score a sum over history items — the reasons
/// add up to it.
public struct BlendModel: Sendable, Equatable {
    public let ease: EASEModel
    public let als: ALSModel
    /// EASE's share, from 0 to 1.
    public let easeWeight: Float

    public init(ease: EASEModel, als: ALSModel, easeWeight: Float) {
        self.ease = ease
        self.als = als
        self.easeWeight = easeWeight
    }

    public var configuration: BlendConfiguration {
        BlendConfiguration(ease: ease.configuration, als: als.configuration, easeWeight: easeWeight)
    }
}
