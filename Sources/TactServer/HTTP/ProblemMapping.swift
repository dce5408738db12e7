import Foundation
import Hummingbird
import TactCore
import TactEngine
import TactFederated
import TactPrivacy
import TactStore

extension Problem {
    /// The problem document for any error a handler throws. Errors the client caused map to 4xx;
    /// only faults of the server itself are 5xx.
    static func from(_ error: any Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return .notFound("no route \(request.method) \(request.uri.path); the routes are listed at /openapi.json")
            case .contentTooLarge:
                return .tooLarge()
            case .methodNotAllowed:
                return Problem(
                    status: .methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                    detail: "\(request.method) is not allowed on \(request.uri.path); see /openapi.json")
            default:
                return Problem(status: error.status, type: "http", title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
            }
        case let error as DecodingError:
            let (field, message) = describe(error)
            return .badRequest(message, field: field)
        case let error as EngineError:
            switch error {
            case .unknownItem: return .notFound(error.description, field: "item")
            case .unknownSubject: return .notFound(error.description, field: "person")
            case .invalidArgument: return .badRequest(error.description)
            case .audienceTooSmall:
                return Problem(status: .unprocessableContent, type: "audience-too-small", title: "Audience below k", detail: error.description, field: "topics")
            case .privacyBudgetExceeded: return Problem(status: .conflict, type: "privacy-budget", title: "Privacy budget exceeded", detail: error.description)
            case .restricted: return Problem(status: .conflict, type: "restricted", title: "Processing restricted", detail: error.description)
            case .concurrentKeyCreation: return Problem(status: .conflict, type: "retry", title: "Conflicting write", detail: error.description)
            default: return Problem(status: .internalServerError, type: "configuration", title: "Server configuration problem", detail: error.description)
            }
        case let error as StoreError:
            switch error {
            case .cannotWrite:
                return Problem(status: .serviceUnavailable, type: "storage", title: "Storage cannot write", detail: error.description, retryAfter: 30)
            case .busy:
                return .unavailable("the database stayed busy; retry the request")
            case .unreachable:
                // Not the error's text: it names the database's address, which is not the client's business.
                return Problem(
                    status: .serviceUnavailable, type: "store-unreachable", title: "Database unreachable",
                    detail: "the database cannot be reached; the server reconnects by itself once it answers: retry in a few seconds", retryAfter: 5)
            default:
                return .internalError
            }
        case let error as FederatedError:
            switch error {
            case .noSession, .finished, .wrongStep, .full, .abandoned, .closing, .keyFull, .refusedSum, .personJoined: return .conflict(error.description)
            case .unknownDevice: return .forbidden(error.description)
            case .personTokenMissing: return .unauthorized(error.description)
            }
        case let error as SecureAggregationError:
            switch error {
            case .badKey, .wrongLength, .undecryptableShare, .malformed: return .badRequest(error.description)
            case .phase, .tooFewSurvivors, .unrecoverable, .tooFewOwners, .concentrated, .untrustedNeighborhood, .tooFewShares, .consistency, .corruptedShares:
                return .conflict(error.description)
            }
        case let error as ShamirSecretSharing.Failure:
            return .badRequest(error.description)
        case let error as PurposeListError:
            return .badRequest(error.description, field: "purpose")
        case let error as PersonTokenError:
            return .unauthorized(error.description)
        case is CancellationError:
            return .unavailable("the request was cancelled; retry it")
        default:
            return .internalError
        }
    }

    /// A fault of the server itself; the detail points to the log, which says why (never the error's text here:
    /// it may quote input).
    static let internalError = Problem(
        status: .internalServerError, type: "internal", title: "Internal error",
        detail: "the server failed to answer this request; the log line with this request id says why")

    /// A decoding error as the field at fault (a path such as `events[2].kind`) and a message.
    static func describe(_ error: DecodingError) -> (field: String?, message: String) {
        let field = error.fieldPath
        switch error {
        case .keyNotFound(let key, _):
            return (field, "the field '\(field ?? key.stringValue)' is required")
        case .typeMismatch(let type, _):
            return (field, "the field '\(field ?? "body")' has the wrong type; expected \(typeName(type))")
        case .valueNotFound(let type, _):
            return (field, "the field '\(field ?? "body")' is null; expected \(typeName(type))")
        case .dataCorrupted(let ctx):
            guard let field else { return (nil, "the body is not valid JSON") }
            return (field, "the field '\(field)' is not valid: \(ctx.debugDescription)")
        @unknown default:
            return (nil, "the body could not be read")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)")
        }
    }
}
