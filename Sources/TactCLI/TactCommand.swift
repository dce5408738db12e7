import ArgumentParser

/// The `tact` command: a privacy-first personalization engine.
public struct TactCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "tact",
        abstract: "A privacy-first personalization engine: consented events in, recommendations with reasons out.",
        discussion: """
            Tact keeps everything in a data directory (default ./tact-data): a SQLite database of \
            pseudonymous events, the secret that makes the pseudonyms, the consent mode and the privacy policy.

            Start here:
              tact demo                        see it all work on synthetic data
              tact init --mode opt-in          a data directory, GDPR-style consent
              tact import interactions F.csv   load events; only consented ones stay
              tact consent grant alice all     record a person's consent
              tact stats                       what is stored, what was refused
              tact audit verify                check the tamper-evident audit log

            Exit status: 0 success, 1 bad data or a failed operation, 2 a usage error.
            """,
        subcommands: [
            InitCommand.self, ImportCommand.self, GenerateCommand.self, ConsentCommand.self,
            StatsCommand.self, TrainCommand.self, EvaluateCommand.self, TuneCommand.self,
            RecommendCommand.self, PlaylistCommand.self, AdsCommand.self, SimilarCommand.self, ExplainCommand.self, KeysCommand.self, SubjectCommand.self,
            AuditCommand.self, PrivacyCommand.self,
            PolicyCommand.self, RetentionCommand.self, BackupCommand.self, RestoreCommand.self, ServeCommand.self, DemoCommand.self, DetectCommand.self,
            RedactCommand.self, AnonymizeCommand.self,
            FederatedCommand.self, GuardCommand.self
        ]
    )

    public init() {}
}
