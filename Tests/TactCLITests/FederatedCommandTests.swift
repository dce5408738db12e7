import Foundation
import TactCore
import TactTestSupport
import Testing

@testable import TactCLI

/// `tact federated simulate` and `tact federated telemetry` by the figures they document, on a tiny
/// split (12 people of two tastes, 20 items) so each run takes a few seconds in a debug build.
@Suite(.serialized) struct FederatedCommandTests {
    let tmp = TemporaryDirectory()

    static let people = 12

    /// Train and test files: person p likes taste p % 2 (items 0…9 or 10…19); 6 items to train on, 2 held out.
    func split() -> (train: String, test: String) {
        var train = ["user,item,value,timestamp"], test = ["user,item,value,timestamp"]
        for p in 0..<Self.people {
            let base = (p % 2) * 10
            for i in 0..<8 {
                let line = "p\(p),i\(base + (p * 3 + i) % 10),1,\(i)"
                if i < 6 { train.append(line) } else { test.append(line) }
            }
        }
        return (tmp.write("train.csv", train.joined(separator: "\n") + "\n"), tmp.write("test.csv", test.joined(separator: "\n") + "\n"))
    }

    func simulate(_ extra: [String]) throws -> [String: Any] {
        let (train, test) = split()
        let (status, output) = runCapturingOutput(
            [
                "federated", "simulate", "--train", train, "--test", test, "--rounds", "2", "--factors", "4",
                "--threads", "1", "--seed", "3", "--json"
            ] + extra)
        #expect(status == 0)
        return try #require(lastJSONObject(output), "\(output)")
    }

    @Test("simulate: every device summed in every aggregation, the bytes each sends, exact sums, and federated iALS scoring as centralized iALS")
    func simulateReportsItsFigures() throws {
        // Four CG steps on four factors solve each item exactly, as each device solves its own vector: the
        // federated half-steps are then those of centralized iALS up to fixed-point rounding.
        let report = try simulate(["--cg-steps", "4"])
        #expect(report["people"] as? Int == Self.people && report["items"] as? Int == 20)
        let rounds = try #require(report["rounds"] as? [[String: Any]])
        #expect(rounds.count == 2)
        for r in rounds {
            #expect(r["devices"] as? Int == Self.people && r["summed"] as? Int == Self.people)
            #expect(r["aggregations"] as? Int == 5)  // the residual, then one per CG step
            #expect(r["clampedValues"] as? Int == 0)
            // Each device sends at least its two masked inputs a round: the residual and the product, 4 bytes a word.
            let words = (20 * 4 + 4 * 5 / 2) + 20 * 4
            #expect((r["bytesUp"] as? Double ?? 0) >= Double(4 * words), "\(r)")
            #expect((r["bytesDown"] as? Double ?? 0) >= Double(4 * 20 * 4))  // the item factors, at least
            #expect((r["largestAggregationError"] as? Double ?? 1) < 1e-3)  // fixed-point rounding only
            #expect(r["epsilonTotal"] == nil)
        }
        let scores = try #require(report["scores"] as? [[String: Any]])
        let ndcg = Dictionary(uniqueKeysWithValues: scores.map { ($0["model"] as! String, $0["ndcgAt10"] as! Double) })
        #expect(Set(ndcg.keys) == ["federated iALS", "iALS"])
        let federated = try #require(ndcg["federated iALS"]), central = try #require(ndcg["iALS"])
        #expect(central > 0)
        #expect(abs((report["ndcg_ratio"] as? Double ?? 0) - federated / central) < 1e-12)
        // The documented target: federated NDCG@10 at least 95% of centralized (on 12 people one rank
        // flipped by rounding moves NDCG by a few hundredths, so it is not asked to be equal here).
        #expect(federated >= 0.95 * central, "federated \(federated), centralized \(central)")
        // And it learned the tastes: far above a random ranking of the 14 items a person did not train on,
        // 2 of them held out (expected NDCG@10 = (2/14) Σ_{i≤10} 1/log2(i+1) / (1 + 1/log2 3) ≈ 0.40).
        let random = 2.0 / 14 * (1...10).reduce(0.0) { $0 + 1 / log2(Double($1) + 1) } / (1 + 1 / log2(3.0))
        #expect(federated > random + 0.2, "federated \(federated), random \(random)")
    }

    @Test("simulate with an ε: federated DP-ALS spends at most ε, in the ledger of its rounds, and is compared with DP-ALS at the same ε")
    func simulatePrivate() throws {
        let report = try simulate(["--epsilon", "8", "--max-items-per-person", "8", "--cg-steps", "1"])
        let rounds = try #require(report["rounds"] as? [[String: Any]])
        #expect(rounds.count == 2)
        let totals = rounds.compactMap { $0["epsilonTotal"] as? Double }
        #expect(totals.count == 2 && totals[0] < totals[1])
        #expect(totals[1] <= 8 + 1e-9 && totals[1] > 7.9, "\(totals)")
        let scores = try #require(report["scores"] as? [[String: Any]])
        #expect(Set(scores.map { $0["model"] as! String }) == ["federated DP-ALS", "iALS", "DP-ALS"])
        let ndcg = Dictionary(uniqueKeysWithValues: scores.map { ($0["model"] as! String, $0["ndcgAt10"] as! Double) })
        #expect(abs((report["ndcg_ratio"] as? Double ?? 0) - ndcg["federated DP-ALS"]! / ndcg["DP-ALS"]!) < 1e-12)
        // Every person has 6 items, under the bound of 8: devices sample nothing, so federated DP-ALS sums what
        // centralized DP-ALS sums and the simulation seeds the same noise. Same release, same scores.
        let federated = try #require(ndcg["federated DP-ALS"]), central = try #require(ndcg["DP-ALS"])
        #expect(abs(federated - central) < 1e-9, "federated \(federated), centralized \(central)")
    }

    @Test("telemetry: one report per device per --reports, ε per device = reports × ε, and estimates within the predicted error")
    func telemetryReportsItsFigures() throws {
        let (train, _) = split()
        let args = ["federated", "telemetry", "--input", train, "--epsilon", "4", "--reports", "2", "--hashes", "64", "--width", "256", "--seed", "1", "--json"]
        let (status, output) = runCapturingOutput(args)
        #expect(status == 0)
        let result = try #require(lastJSONObject(output), "\(output)")
        #expect(result["devices"] as? Int == Self.people && result["reportsPerDevice"] as? Int == 2 && result["reports"] as? Int == 2 * Self.people)
        #expect(result["epsilonPerReport"] as? Double == 4 && result["epsilonPerDevice"] as? Double == 8)
        #expect(result["hashes"] as? Int == 64 && result["width"] as? Int == 256)
        // Each device reports distinct items of its own: no item is reported more than once per device.
        #expect((1...Self.people).contains(result["largestTrueCount"] as? Int ?? 0))
        let sd = try #require(result["predictedStandardDeviation"] as? Double)
        #expect(sd > 0)
        // The error the sketch predicts is the error it makes: over 20 items, the RMSE is within half and 1.5 times it.
        let rmse = try #require(result["rootMeanSquareError"] as? Double)
        #expect(rmse > 0.5 * sd && rmse < 1.5 * sd, "\(result)")
        // Seeded: the same run gives the same figures.
        let again = try #require(lastJSONObject(runCapturingOutput(args).output))
        #expect(again["meanAbsoluteError"] as? Double == result["meanAbsoluteError"] as? Double)
        #expect(again["largestEstimate"] as? Double == result["largestEstimate"] as? Double)
    }
}
