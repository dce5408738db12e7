/// Where a device leaves a secure-aggregation round (a phone that loses its network, runs out of
/// battery or is switched off): before advertising keys, after advertising them, after sending its
/// shares, or after sending its masked input.
public enum DropoutStep: Sendable, CaseIterable, Equatable, Codable {
    case beforeKeys, afterKeys, afterShares, afterInput
}
