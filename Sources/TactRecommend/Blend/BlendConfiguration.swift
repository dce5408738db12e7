/// How a blend of EASE and iALS is trained: both on the same data, their scores added with weights
/// (`BlendModel`). The model search tries it when both algorithms did well on validation.
public struct BlendConfiguration: Sendable, Equatable, Codable {
    public var ease: EASEConfiguration
    public var als: ALSConfiguration
    /// EASE's share of the blended score, from 0 to 1; iALS has the rest.
    public var easeWeight: Float

    public init(ease: EASEConfiguration, als: ALSConfiguration, easeWeight: Float) {
        self.ease = ease
        self.als = als
        self.easeWeight = easeWeight
    }
}
