extension PrivacyPolicy {
    /// The built-in policy, used until an operator supplies their own file. Change `version` whenever
    /// this text changes: installations record each version once and refuse other text under it.
    public static let builtIn = PrivacyPolicy(
        version: "2026-11-29.1",
        controller: "The operator of this Tact installation",
        contact: "privacy@example.invalid",
        purposes: [
            .init(
                purpose: .essential,
                description:
                    "Keeping the service running and secure: your account, fraud and abuse prevention, and the records we must keep of your privacy choices.",
                legalBasis: "legitimate-interests"),
            .init(
                purpose: .personalization,
                description: "Using what you view, play, like or buy to choose what we show you, with the reasons why.",
                legalBasis: "consent"),
            .init(
                purpose: .analytics,
                description: "Counting how the service is used, in aggregate, to improve it.",
                legalBasis: "consent"),
            .init(
                purpose: .advertising,
                description: "Choosing which advertisements to show you based on your activity.",
                legalBasis: "consent"),
            .init(
                purpose: .saleOrSharing,
                description: "Selling or sharing your personal data with other companies. A Global Privacy Control signal from your browser refuses this.",
                legalBasis: "consent"),
            .init(
                purpose: .modelTraining,
                description:
                    "Letting your activity help train the recommendation models that serve everyone. Without it, your data is used only for your own recommendations.",
                legalBasis: "consent")
        ],
        dataCategories: [
            .init(
                name: "interactions", description: "What you viewed, played, liked, skipped, rated or bought, and when, stored under a pseudonym.",
                retentionDays: 730),
            .init(name: "context", description: "Free text that came with an event, such as a note or search query.", retentionDays: 90),
            .init(name: "consent", description: "Your consent choices and when you made them.", retentionDays: nil),
            .init(name: "audit", description: "Who accessed personal data, when and why.", retentionDays: 2190),
            .init(name: "models", description: "Numbers learned from activity (factor vectors) used to rank items for you.", retentionDays: nil)
        ],
        recipients: [
            .init(name: "Hosting provider", purposes: [.essential], description: "Runs the servers that store the data, under a processing agreement.")
        ]
    )
}
