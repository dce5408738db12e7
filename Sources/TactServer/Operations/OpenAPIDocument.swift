/// The OpenAPI 3.1 description of the API, served at `/openapi.json`. A test checks that it and the router agree
/// (Tests/TactServerTests/OpenAPITests.swift): when you add, remove or change a route, change this document too.
/// Extensions: `x-tact-scopes` lists the scopes an operation accepts (a key with `admin` may call every route),
/// `x-tact-person-token` says whether the person's own token (`tpt1.…`) is accepted for that person.
enum OpenAPIDocument {
    static let json = ##"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Tact",
    "version": "1",
    "summary": "Privacy-first recommendations: events in, recommendations with reasons out.",
    "description": "JSON over HTTP under /v1. Authenticate with `Authorization: Bearer …`: an API key (`tact_…`, from `tact keys create`) whose scopes say what it may do, or a person token (`tpt1.…`) that reads only its own person's recommendations, placements and consent. Every error is an RFC 9457 problem document (`application/problem+json`) whose `field` names the field at fault. Every response carries `X-Request-Id`. See docs/http-api.md.",
    "license": {
      "name": "See the project's license"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080",
      "description": "`tact serve` with its default --host and --port."
    }
  ],
  "tags": [
    {
      "name": "Events",
      "description": "Sending what people do."
    },
    {
      "name": "Catalog",
      "description": "The items that can be recommended."
    },
    {
      "name": "Recommendations",
      "description": "Recommendations, advertising placements and similar items."
    },
    {
      "name": "Consent",
      "description": "A person's consent, and tokens for their own device."
    },
    {
      "name": "Policy",
      "description": "The privacy policy in force, its version history and the record of processing activities."
    },
    {
      "name": "Operations",
      "description": "Health, metrics and this description."
    },
    {
      "name": "Admin",
      "description": "Keys, the model in service, the audit log and the retention job's runs."
    },
    {
      "name": "Rights",
      "description": "Data-subject rights: export, erasure, rectification, restriction, objection, and the requests they leave."
    },
    {
      "name": "Federated",
      "description": "Federated training with secure aggregation: devices keep their history; the server sees only sums."
    },
    {
      "name": "Advertising",
      "description": "Privacy-preserving advertising: interest topics, k-anonymous audiences, contextual fallback, frequency caps, differentially private reports."
    }
  ],
  "security": [
    {
      "bearerAuth": []
    }
  ],
  "paths": {
    "/health/live": {
      "get": {
        "operationId": "getLiveness",
        "summary": "Tells whether the server process is up and answering.",
        "description": "Liveness probe: answers 200 as long as the process serves HTTP; it checks nothing else. Public: no credentials needed.",
        "tags": [
          "Operations"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The server is up.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/health/ready": {
      "get": {
        "operationId": "getReadiness",
        "summary": "Tells whether the server can serve requests now (its store answers).",
        "description": "Readiness probe: 200 when the store answers a query, else 503 with status `not-ready`. A server without a trained model is ready: it serves the popular fallback. Public: no credentials needed.",
        "tags": [
          "Operations"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Ready; `modelVersion` is the model in service.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "description": "Not ready: the store does not answer.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "getMetrics",
        "summary": "Returns the server's metrics in the Prometheus text format.",
        "description": "Request counts and latencies per route template, events accepted and refused, and the model's version, training time, age and retrainings. Holds no personal data. Public: no credentials needed.",
        "tags": [
          "Operations"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Prometheus text exposition (format 0.0.4).",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "getOpenAPIDocument",
        "summary": "Returns this OpenAPI 3.1 description of the API.",
        "description": "The document you are reading, as served by this server. Public: no credentials needed.",
        "tags": [
          "Operations"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI document.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/policy": {
      "get": {
        "operationId": "getPolicy",
        "summary": "Returns the privacy policy in force as JSON, to show people in your consent prompt.",
        "description": "The machine-readable privacy policy: why data is processed, on what legal basis, what is kept and for how long, and who receives it. Its `version` is the one consent records name. Public: no credentials needed.",
        "tags": [
          "Policy"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The policy.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PrivacyPolicy"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/policy": {
      "get": {
        "operationId": "getPolicyPage",
        "summary": "Returns the privacy policy as a self-contained HTML page people can read.",
        "description": "The same policy as `/v1/policy`, rendered for people, with the consent mode explained. Link to it from your app. Public: no credentials needed.",
        "tags": [
          "Policy"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The policy page.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "text/html": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/events": {
      "post": {
        "operationId": "postEvents",
        "summary": "Sends a batch of events (views, plays, purchases…) to be stored, subject to each person's consent.",
        "description": "Validates every event (an error names the field, e.g. `events[3].kind`), then stores in one transaction those the person's consent permits for the event's purpose; refused events are counted per purpose and never stored. Accepted events change the person's next recommendations at once. A request carrying `Sec-GPC: 1` refuses `sale-or-sharing` and `advertising` for every person in the batch (source `gpc`) before the events are judged. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Events"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "requestBody": {
          "required": true,
          "description": "1 to 10000 events (the server's limit, 10000 by default).",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EventBatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The batch was processed; the counts say what was stored and what consent refused.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EventsAccepted"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/items": {
      "get": {
        "operationId": "listItems",
        "summary": "Lists catalog items in id order, one page at a time.",
        "description": "Pages through the catalog by id. Pass the `next` of one page as `after` to get the next; the last page has no `next`. Needs an API key with the `catalog` scope (a key with `admin` may call every route).",
        "tags": [
          "Catalog"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "catalog"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Items per page.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            }
          },
          {
            "name": "after",
            "in": "query",
            "required": false,
            "description": "Return items whose id sorts after this one (the previous page's `next`).",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of items.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ItemPage"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "post": {
        "operationId": "upsertItems",
        "summary": "Creates or updates many catalog items at once.",
        "description": "Each item is created, or replaced when its id exists, in one transaction. Every item needs an `id`. Needs an API key with the `catalog` scope (a key with `admin` may call every route).",
        "tags": [
          "Catalog"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "catalog"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "description": "1 to 10000 items.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ItemBatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "All items were written.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Upserted"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/items/{item}": {
      "get": {
        "operationId": "getItem",
        "summary": "Returns one catalog item.",
        "description": "The item with this id. Needs an API key with the `catalog` or `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Catalog"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "catalog",
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "item",
            "in": "path",
            "required": true,
            "description": "The item's id (1 to 256 characters, percent-encoded in the path).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The item.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "put": {
        "operationId": "putItem",
        "summary": "Creates or replaces one catalog item.",
        "description": "Writes the item under the id in the path; a body `id`, if given, must match it. Answers 201 when the item is new and 200 when it replaced one. Needs an API key with the `catalog` scope (a key with `admin` may call every route).",
        "tags": [
          "Catalog"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "catalog"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "item",
            "in": "path",
            "required": true,
            "description": "The item's id (1 to 256 characters, percent-encoded in the path).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The item's fields.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ItemFields"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The item was replaced.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "201": {
            "description": "The item was created.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Item"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      },
      "delete": {
        "operationId": "deleteItem",
        "summary": "Deletes a catalog item and every event about it.",
        "description": "Removes the item and the events that name it, in one transaction, and writes an audit entry. Recommendations stop showing it at once. Needs an API key with the `catalog` scope (a key with `admin` may call every route).",
        "tags": [
          "Catalog"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "catalog"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "item",
            "in": "path",
            "required": true,
            "description": "The item's id (1 to 256 characters, percent-encoded in the path).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The item was deleted.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Deleted"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}/recommendations": {
      "get": {
        "operationId": "getRecommendations",
        "summary": "Returns the items to show a person next, each with the reasons it was chosen.",
        "description": "Personalized from the person's stored history (read on each request, so their latest events count) when their consent permits `personalization`; otherwise everyone's favourites, with `fallbackReason` saying why. Items tagged `sponsored` are never included (see placements). A request carrying `Sec-GPC: 1` first records refusals of `sale-or-sharing` and `advertising` for the person. Needs an API key with the `recommend` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "k",
            "in": "query",
            "required": false,
            "description": "How many items to return.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 10
            }
          },
          {
            "name": "reasons",
            "in": "query",
            "required": false,
            "description": "Most reasons per item (history items that explain it).",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 20,
              "default": 3
            }
          },
          {
            "name": "tag",
            "in": "query",
            "required": false,
            "description": "Only items with at least one of these tags. Repeat the parameter or separate tags with commas.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "notTag",
            "in": "query",
            "required": false,
            "description": "Leave out items with any of these tags. Repeat the parameter or separate tags with commas.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "exclude",
            "in": "query",
            "required": false,
            "description": "Leave out these item ids (e.g. what is already on screen). Repeat the parameter or separate ids with commas.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "mmrLambda",
            "in": "query",
            "required": false,
            "description": "Maximal marginal relevance: 1 ranks by relevance alone; lower values trade relevance for diversity (each next item maximizes λ·relevance − (1 − λ)·its highest similarity to the items already chosen).",
            "schema": {
              "type": "number",
              "minimum": 0,
              "maximum": 1,
              "default": 1
            }
          },
          {
            "name": "maxPerTag",
            "in": "query",
            "required": false,
            "description": "At most this many items sharing a tag (a genre, an artist); 0 for no cap.",
            "schema": {
              "type": "integer",
              "minimum": 0,
              "maximum": 200,
              "default": 0
            }
          },
          {
            "name": "novelty",
            "in": "query",
            "required": false,
            "description": "Discount popular items by this weight (0 to 1; 0 is off).",
            "schema": {
              "type": "number",
              "minimum": 0,
              "maximum": 1,
              "default": 0
            }
          },
          {
            "name": "exploration",
            "in": "query",
            "required": false,
            "description": "Share of the list (0 to 1) given to new items that have no interactions yet, chosen by how well their tags match the person's history; each carries the reason `new-for-you`.",
            "schema": {
              "type": "number",
              "minimum": 0,
              "maximum": 1,
              "default": 0
            }
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "responses": {
          "200": {
            "description": "The recommendations.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Recommendations"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/people/{person}/placements": {
      "get": {
        "operationId": "getPlacements",
        "summary": "Returns the sponsored items (advertising placements) to show a person, if their consent permits advertising.",
        "description": "Chooses among items tagged `sponsored`, ranked for the person. Empty, with `reason: no-advertising-consent`, when the person's consent does not permit `advertising`. A request carrying `Sec-GPC: 1` first records refusals of `sale-or-sharing` and `advertising`, so it always gets no placements. Needs an API key with the `recommend` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "k",
            "in": "query",
            "required": false,
            "description": "How many placements to return at most.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 50,
              "default": 3
            }
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "responses": {
          "200": {
            "description": "The placements (possibly none).",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Placements"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/items/{item}/similar": {
      "get": {
        "operationId": "getSimilarItems",
        "summary": "Returns the items most similar to one item, for \"more like this\" lists.",
        "description": "Uses the model in service; an item the model has not seen yet has an empty list. Needs a trained model (409 otherwise). No personal data is read. Needs an API key with the `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "item",
            "in": "path",
            "required": true,
            "description": "The item's id (1 to 256 characters, percent-encoded in the path).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "k",
            "in": "query",
            "required": false,
            "description": "How many similar items to return.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200,
              "default": 10
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The item and its most similar items, most similar first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SimilarItems"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "409": {
            "description": "No model has been trained yet (`type` `/problems/no-model`): send events, then retrain.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/people/{person}/consent": {
      "get": {
        "operationId": "getConsent",
        "summary": "Returns a person's consent per purpose: whether each is permitted now and their latest decision.",
        "description": "404 when nothing is stored for the person (the consent mode's defaults then apply). A request carrying `Sec-GPC: 1` first records refusals of `sale-or-sharing` and `advertising`. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Consent"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "responses": {
          "200": {
            "description": "The person's consent.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Consent"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "post": {
        "operationId": "postConsent",
        "summary": "Records a person's consent decisions (grant, refuse or withdraw) per purpose.",
        "description": "Appends one ledger record per changed purpose, naming the policy version in force, and answers the person's consent afterwards. Use `source: operator` only when acting on the person's documented request (API keys only). A request carrying `Sec-GPC: 1` also records refusals of `sale-or-sharing` and `advertising`, after the decisions. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Consent"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "requestBody": {
          "required": true,
          "description": "The decisions to record.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ConsentChange"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The person's consent after the change.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Consent"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}/tokens": {
      "post": {
        "operationId": "createPersonToken",
        "summary": "Issues a short-lived token your app can hand to a person's device to read their own recommendations and consent.",
        "description": "The token (`tpt1.…`) is bound to this person and to the issuing key: it works only on that person's recommendations, placements and consent, and stops working when it expires or the key is revoked. Only an API key may issue tokens. There is no body. Needs an API key with the `subjects` scope (a key with `admin` may call every route).",
        "tags": [
          "Consent"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "ttlSeconds",
            "in": "query",
            "required": false,
            "description": "How long the token lives, in seconds (default: the server's setting, 3600).",
            "schema": {
              "type": "integer",
              "minimum": 60,
              "maximum": 86400,
              "default": 3600
            }
          }
        ],
        "responses": {
          "201": {
            "description": "The token.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PersonToken"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/keys": {
      "get": {
        "operationId": "listKeys",
        "summary": "Lists every API key, revoked ones included (the keys themselves are never kept).",
        "description": "Ids, names, scopes and dates. Tact keeps only each key's SHA-256, so no key can be shown again. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The keys.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/KeyList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "post": {
        "operationId": "createKey",
        "summary": "Creates an API key and returns it, this once.",
        "description": "The answer's `key` is the only time the key is shown; store it where the client reads its secrets. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "description": "The key's name and scopes.",
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/NewKey"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The key was created; `key` holds it.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Key"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/keys/{id}": {
      "delete": {
        "operationId": "revokeKey",
        "summary": "Revokes an API key, and every person token it issued.",
        "description": "Takes effect at once on this server (other servers on the same data directory within 2 s). The key stays listed, with `revokedAt`. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "The key's id (e.g. `k3f9a01b2c4`), not the key itself.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The key was revoked.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Key"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/model": {
      "get": {
        "operationId": "getModel",
        "summary": "Describes the model in service: version, algorithm, age and events since it was trained.",
        "description": "Useful to decide when to retrain and to check that a retraining took effect. Needs an API key with the `admin` or `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin",
          "recommend"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The model in service.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelState"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/model/retrain": {
      "post": {
        "operationId": "retrainModel",
        "summary": "Retrains the model on the consented events stored now and puts it in service.",
        "description": "Answers when the new model serves; requests keep being answered by the old model meanwhile and switch to the new one atomically. 409 when a retraining is already running. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The new model, now in service.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ModelState"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "409": {
            "description": "A retraining is already running (`type` `/problems/training-running`); the new model will be served when it ends.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/audit": {
      "get": {
        "operationId": "listAuditEntries",
        "summary": "Returns the most recent audit log entries, newest first.",
        "description": "Who did what and when: ingestion, consent changes, catalog writes and deletions, key changes. A subject appears only as the first 16 hex digits of its pseudonym, never a raw id. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "How many entries to return.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000,
              "default": 100
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The entries.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/people/{person}/export": {
      "get": {
        "operationId": "exportPerson",
        "summary": "Everything held about a person, as one JSON document, or their interactions as CSV.",
        "description": "Access and portability (GDPR Art. 15 and 20): consent and its history, interactions (free text opened with the person's key), an inferred profile in plain words, current recommendations with reasons, the audit entries about them and their requests. Recorded as an `access` request and in the audit log. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "`json` (everything, the default) or `csv` (interactions only).",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv"
              ],
              "default": "json"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The export.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SubjectExport"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}": {
      "delete": {
        "operationId": "erasePerson",
        "summary": "Erases a person: their data, their key, their user vector and their part of the item vectors.",
        "description": "Erasure (GDPR Art. 17): interactions and consent records are deleted (the request record stays, under a reference that is not the pseudonym, as the tombstone), the person's key is shredded so sealed free text in copies and backups is unreadable, their user vector is dropped and every item they touched is solved again exactly without them; the model in service reflects it before this answer is sent, and a full retrain is scheduled. 200 also when nothing was held (`found` is false). Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "What was erased.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Erasure"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}/rectification": {
      "post": {
        "operationId": "rectifyPerson",
        "summary": "Deletes or corrects a person's interactions, named by the ids their export lists.",
        "description": "Rectification (GDPR Art. 16). Ids that are not this person's are listed in `unknownIds` and left alone. The items concerned are solved again in the model in service. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "What was changed.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RectificationResult"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "413": {
            "$ref": "#/components/responses/TooLarge"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        },
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/Rectification"
              }
            }
          }
        }
      }
    },
    "/v1/people/{person}/restriction": {
      "put": {
        "operationId": "restrictPerson",
        "summary": "Restricts processing of a person's data: kept, but frozen.",
        "description": "Restriction (GDPR Art. 18): no training, no personalization, no new events; the person's contribution leaves the model in service as in erasure. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The restriction.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Restriction"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      },
      "delete": {
        "operationId": "liftRestriction",
        "summary": "Lifts a restriction.",
        "description": "The person rejoins models at the next training. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The restriction, lifted.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Restriction"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}/objection": {
      "post": {
        "operationId": "objectPerson",
        "summary": "Records an objection to profiling: non-personalized recommendations only.",
        "description": "Objection (GDPR Art. 21): personalization and advertising are refused (source `objection`), whatever the consent mode. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The person's consent after the objection.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Consent"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/people/{person}/requests": {
      "get": {
        "operationId": "listPersonRequests",
        "summary": "A person's data-subject requests: received, verified, completed, and the legal deadline.",
        "description": "Requests are kept under a reference derived from the pseudonym, so they outlive an erasure. Needs an API key with the `subjects` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`, from `POST /v1/people/{person}/tokens`) for that person only.",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "subjects"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The requests, oldest first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RequestList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/requests": {
      "get": {
        "operationId": "listRequests",
        "summary": "Every data-subject request, for auditors (no person is named).",
        "description": "`overdue` marks requests not completed by their deadline. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Rights"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "responses": {
          "200": {
            "description": "The requests, oldest first.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RequestList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          }
        }
      }
    },
    "/v1/policy/versions": {
      "get": {
        "operationId": "listPolicyVersions",
        "summary": "Returns every recorded version of the privacy policy, newest first, with what changed in each.",
        "description": "Tact records a policy version the first time it runs with it. Each version lists its changes from the version recorded before it, in plain words (e.g. `interactions: kept 730 days → 365 days`), with a `kind` for programs. Public: no credentials needed.",
        "tags": [
          "Policy"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The versions.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PolicyVersionList"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/policy/record": {
      "get": {
        "operationId": "getProcessingRecord",
        "summary": "Returns the record of processing activities (GDPR Art. 30(1)) generated from the policy in force.",
        "description": "Controller and contact, purposes with legal bases, data subjects, data categories with their retention and how Tact applies it, recipients, transfers, and the technical measures Tact takes. JSON by default; Markdown with `?format=markdown` or `Accept: text/markdown`. Public: no credentials needed.",
        "tags": [
          "Policy"
        ],
        "security": [],
        "parameters": [
          {
            "name": "format",
            "in": "query",
            "required": false,
            "description": "`json` (the default) or `markdown`. Without it, `Accept: text/markdown` asks for Markdown.",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "markdown"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The record.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ProcessingRecord"
                }
              },
              "text/markdown": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/BadCredentials"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/retention": {
      "get": {
        "operationId": "listRetentionRuns",
        "summary": "Returns the most recent runs of the retention job, newest first, with what each deleted per data category.",
        "description": "The server runs the job at start and every `--retention-every` seconds (`intervalSeconds`; null when it does not). Each run lists, per data category of the policy, the period applied, the cutoff, and how many events were deleted (`interactions`) or had their free text emptied (`context`); the audit log's period is reported as not applied (the log is append-only). Counts only. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "How many runs to return.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000,
              "default": 20
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The runs.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RetentionRunList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/privacy/budget": {
      "get": {
        "operationId": "getPrivacyBudget",
        "summary": "The privacy budget ledger: what each dataset's differentially private releases spent, and what is left.",
        "description": "Every release records its ε and δ against its dataset; a release that would exceed the budget (config.json `privacyBudget`, default ε = 10, δ = 1e-5) is refused. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The budget and the releases.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PrivacyBudget"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/federated/sessions": {
      "post": {
        "operationId": "startFederatedTraining",
        "summary": "Starts a federated training of the item factors, over the current catalog.",
        "description": "Federated iALS without `epsilon`: each round, a residual aggregation and one per conjugate-gradient step, every device sending fixed-point reals through secure aggregation. With `epsilon`, federated DP-ALS: one count aggregation, then one statistics aggregation per round, the server adding DP-ALS's exact noise; the whole ε is spent in the dataset's privacy ledger before anything is released (409 past the budget; an ε too small for DP-ALS's noise is 400). One training at a time (409 while one runs). Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedStart"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The training's status.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/sessions/current": {
      "get": {
        "operationId": "getFederatedTraining",
        "summary": "Returns the running (or last) federated training: its task and every finished aggregation.",
        "description": "Each finished aggregation lists its kind, how many devices were summed and, with DP, the ε spent so far. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The status.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      },
      "delete": {
        "operationId": "stopFederatedTraining",
        "summary": "Stops the running federated training; the privacy budget it spent stays spent.",
        "description": "For a training that cannot go on (its devices are gone) or should not. Returns its last status. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The status of the stopped training.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/advance": {
      "post": {
        "operationId": "advanceFederatedTraining",
        "summary": "Closes the current step of the current aggregation and moves to the next.",
        "description": "After keys: neighborhoods are fixed. After shares: inputs may be sent. After inputs: survivors are fixed. After unmasking: the sum is recovered (and noised, with DP), the item step runs, and the next aggregation starts at its keys step (devices join again with fresh keys), or the training finishes. Closing the keys step builds the neighborhoods away from the session, so devices are answered meanwhile (joins are refused until it ends). An aggregation that cannot complete (devices of fewer than `minimumDevices` distinct keys joined or survived, one key would hold a threshold of another device's shares, shares that do not recover, or an unmasked sum that devices within the bounds cannot make: past devices × `normBound` for fixed point) is abandoned, its sum unused, and starts again from its keys step: 409 says so. Needs an API key with the `admin` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "admin"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The status after the step.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/task": {
      "get": {
        "operationId": "getFederatedTask",
        "summary": "Returns what devices must do now: the aggregation's kind, step, round number and encoding.",
        "description": "Devices poll it. `secureRound` is the number their secure-aggregation keys are bound to; `scale` (fixed-point inputs) is set once the keys step closes; `privateALS` (DP-ALS) holds the settings devices compute their integer contributions with. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The task.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedTask"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/model": {
      "get": {
        "operationId": "getFederatedModel",
        "summary": "Returns the current item factors, the catalog, and the direction or covered items devices need.",
        "description": "Item factors are little-endian Float32, items × factors, in base64. `direction` (federated iALS, product aggregations) has the same layout; `covered` (DP-ALS) lists the items the model covers, in slot order. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "responses": {
          "200": {
            "description": "The model.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedModel"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/join": {
      "post": {
        "operationId": "joinFederatedAggregation",
        "summary": "Joins the current aggregation for a person, with a device's two X25519 public keys signed by its Ed25519 key; returns its id and token.",
        "description": "Only during the keys step. The device contributes for the person whose token (`personToken`, from `POST /v1/people/{person}/tokens`) it sends: one person joins each aggregation once, whatever device or key (409 for a second device of the same person; 401 without a valid person token). `signature` is the Ed25519 signature, by `signingKey`, of the bytes \"tact secagg keys v1\" ‖ the task's `secureRound` (8 bytes, little-endian) ‖ channelKey ‖ maskKey (400 if it does not verify, or if the signing key already joined). The token must be sent in the Tact-Device-Token header of every later call; the server keeps only its SHA-256. One API key joins at most the task's `devicesPerKey` devices to an aggregation, and an aggregation takes at most `maxDevices` (409 past either, saying which); devices of one key count once toward `minimumDevices`, so give each device or person its own key. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedJoin"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The device's id and token.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedJoined"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/neighborhood": {
      "get": {
        "operationId": "getFederatedNeighborhood",
        "summary": "Returns the public keys of the devices this one pairs masks with, and its threshold.",
        "description": "Only during the shares step. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "id",
            "in": "query",
            "required": true,
            "description": "The device id /v1/federated/join returned.",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          },
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The neighborhood.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedNeighborhood"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/shares": {
      "post": {
        "operationId": "sendFederatedShares",
        "summary": "Sends a device's encrypted Shamir shares, one per neighbor.",
        "description": "Only during the shares step. The server routes them and cannot read them (AES-GCM under keys only the pair can derive). Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedShares"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The task.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedTask"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/deliveries": {
      "get": {
        "operationId": "getFederatedDeliveries",
        "summary": "Returns the encrypted shares addressed to this device by neighbors that completed the shares step.",
        "description": "Only during the input step. The device masks its input with exactly these neighbors. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "id",
            "in": "query",
            "required": true,
            "description": "The device id /v1/federated/join returned.",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          },
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The shares.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedShareList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/input": {
      "post": {
        "operationId": "sendFederatedInput",
        "summary": "Sends a device's masked input: the aggregation's vector of 32-bit words, little-endian, in base64.",
        "description": "Only during the input step. The length must be the task's `vectorLength`. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedInput"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The task.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedTask"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/survivors": {
      "get": {
        "operationId": "getFederatedSurvivors",
        "summary": "Returns the devices whose masked inputs arrived (the survivor set each device signs).",
        "description": "Only during the consistency step. A device checks that it is in the set and that at least its threshold of the neighbors it masked with are, signs the set and sends the signature to POST /v1/federated/consistency. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "id",
            "in": "query",
            "required": true,
            "description": "The device id /v1/federated/join returned.",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          },
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The survivors.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedSurvivors"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/signatures": {
      "get": {
        "operationId": "getFederatedSignatures",
        "summary": "Returns the signatures of this device's neighbors over the survivor set (the consistency check).",
        "description": "Only during the unmask step. The device verifies each against the neighbor's signing key and the set it signed; one over another set means the server equivocated, and the device aborts. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "id",
            "in": "query",
            "required": true,
            "description": "The device id /v1/federated/join returned.",
            "schema": {
              "type": "integer",
              "minimum": 1
            }
          },
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The neighbors' signatures.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedSignatures"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/consistency": {
      "post": {
        "operationId": "sendFederatedConsistency",
        "summary": "Sends a device's signature over the survivor set it was told.",
        "description": "Only during the consistency step (Bonawitz et al. 2017, §4.4). The server checks it against the device's signing key; the admin's advance closes the step. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedSignature"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The task.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedTask"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/federated/unmask": {
      "post": {
        "operationId": "sendFederatedUnmask",
        "summary": "Sends a device's shares for unmasking: seed shares of survivors, key shares of the others.",
        "description": "Only during the unmask step, after the device has checked its neighbors' signatures (GET /v1/federated/signatures): at least its threshold of them, all over the survivor set it signed; otherwise it aborts and sends nothing. Needs an API key with the `ingest` scope (a key with `admin` may call every route).",
        "tags": [
          "Federated"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ingest"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "Tact-Device-Token",
            "in": "header",
            "required": true,
            "description": "The device token /v1/federated/join returned.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FederatedUnmask"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The task.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FederatedTask"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "409": {
            "description": "The call does not fit the training's state: none is running, it has finished, or the round is at another step (read the task). Or, when starting, the privacy budget is spent.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/guard/alerts": {
      "get": {
        "operationId": "listGuardAlerts",
        "summary": "Returns the Guard's most recent alerts, newest first, each explained in words with the action taken.",
        "description": "The server's Guard watches every access to a person's data: per-key baselines by hour of day, canaries, and volume alerts as they happen. A high or critical alert suspends the key (`tact keys reinstate` restores it); a person token's alert is recorded only. Needs an API key with the `audit` scope (a key with `admin` may call every route).",
        "tags": [
          "Admin"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "audit"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "How many alerts to return.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000,
              "default": 100
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The alerts.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/GuardAlertList"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/people/{person}/playlist": {
      "get": {
        "operationId": "getPlaylist",
        "summary": "Returns a person's playlist: familiar items and discoveries in a smooth order, the same all week.",
        "description": "Mixes the person's favourites they have not had in the last 7 days with discoveries from the model, at `familiarShare`; each next item is the best by relevance and closeness to the one before, within `maxPerTag`. Seeded by the person and the week, so it stays the same until Monday. When the person's consent does not permit `personalization`, everyone's favourites in a smooth order (`personalized` false). A request carrying `Sec-GPC: 1` first records refusals of `sale-or-sharing` and `advertising` for the person. Needs an API key with the `recommend` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`) for that person only.",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "$ref": "#/components/parameters/PlaylistLength"
          },
          {
            "$ref": "#/components/parameters/PlaylistFamiliarShare"
          },
          {
            "$ref": "#/components/parameters/PlaylistMaxPerTag"
          },
          {
            "$ref": "#/components/parameters/PlaylistSmoothness"
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "responses": {
          "200": {
            "description": "The playlist.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Playlist"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/items/{item}/playlist": {
      "get": {
        "operationId": "getSeedPlaylist",
        "summary": "Returns a playlist that starts from one item and continues with items like it.",
        "description": "No personal data is read. The item must be known to the model in service (404 otherwise). Needs an API key with the `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "item",
            "in": "path",
            "required": true,
            "description": "The item's id (1 to 256 characters, percent-encoded in the path).",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "$ref": "#/components/parameters/PlaylistLength"
          },
          {
            "$ref": "#/components/parameters/PlaylistMaxPerTag"
          },
          {
            "$ref": "#/components/parameters/PlaylistSmoothness"
          }
        ],
        "responses": {
          "200": {
            "description": "The playlist.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Playlist"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/v1/sessions/recommendations": {
      "post": {
        "operationId": "recommendForSession",
        "summary": "Returns recommendations for an anonymous session, from the items of the session alone.",
        "description": "Personalization without identity: computed in memory from the session's items alone (folded into a transient vector, or item neighbours); nothing about the session is stored, audited or logged, and only the count of session requests is kept (`tact_session_requests_total` at /metrics). Needs an API key with the `recommend` scope (a key with `admin` may call every route). When none of the items is known, everyone's favourites with `fallbackReason` `no-known-items`.",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The recommendations.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Recommendations"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/sessions/playlist": {
      "post": {
        "operationId": "playlistForSession",
        "summary": "Returns a playlist for an anonymous session, from the items of the session alone.",
        "description": "Personalization without identity: computed in memory from the session's items alone (folded into a transient vector, or item neighbours); nothing about the session is stored, audited or logged, and only the count of session requests is kept (`tact_session_requests_total` at /metrics). Needs an API key with the `recommend` scope (a key with `admin` may call every route). 400 when none of the items is known to the model.",
        "tags": [
          "Recommendations"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SessionRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The playlist.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Playlist"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/ads/topics": {
      "get": {
        "operationId": "listAdTopics",
        "summary": "Returns the interest-topic taxonomy campaigns may target.",
        "description": "The topics are the catalog's most common tags. Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "responses": {
          "200": {
            "description": "The taxonomy.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "topics": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "minimumAudience": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/ads/audiences": {
      "get": {
        "operationId": "checkAdAudience",
        "summary": "Says whether an audience (topics held together) meets the k-anonymity minimum.",
        "description": "The exact count is not released. Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "topics",
            "in": "query",
            "required": true,
            "description": "Topics the audience holds together, comma-separated or repeated.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Whether the audience is eligible.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "topics": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      }
                    },
                    "eligible": {
                      "type": "boolean"
                    },
                    "minimumAudience": {
                      "type": "integer"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/ads/campaigns": {
      "get": {
        "operationId": "listAdCampaigns",
        "summary": "Lists the campaigns.",
        "description": "Lists only the campaigns the calling key created (every campaign for an admin key). Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "responses": {
          "200": {
            "description": "The campaigns.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "campaigns": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/AdCampaign"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      },
      "post": {
        "operationId": "createAdCampaign",
        "summary": "Creates a campaign.",
        "description": "Its topics must be in the taxonomy and reach at least the k-anonymity minimum of people (422 otherwise); a campaign may instead, or also, target the context. Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AdCampaignRequest"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The campaign.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdCampaign"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "422": {
            "description": "The targeting reaches fewer people than the k-anonymity minimum.",
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        }
      }
    },
    "/v1/ads/campaigns/{campaign}/status": {
      "post": {
        "operationId": "setAdCampaignStatus",
        "summary": "Pauses, resumes or ends a campaign.",
        "description": "Only the key that created the campaign (or an admin key) may; for any other the campaign does not exist (404). Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "campaign",
            "in": "path",
            "required": true,
            "description": "The campaign's id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "status"
                ],
                "properties": {
                  "status": {
                    "type": "string",
                    "enum": [
                      "active",
                      "paused",
                      "ended"
                    ]
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The campaign.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdCampaign"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/v1/ads/campaigns/{campaign}/report": {
      "get": {
        "operationId": "getAdReport",
        "summary": "Returns a campaign's impressions, clicks and conversions as a differentially private aggregate.",
        "description": "Each person's (or anonymous impression's) contribution is capped, discrete Laplace noise is added with ε split over the three counts, ε is charged first to the privacy ledger, to the one dataset all advertisers' reports share (`ads`: a person seen by several advertisers loses the sum of their reports' ε, and the ledger's total is that sum), within the advertiser's share of it (half the budget by default; past it, 409 like any refused release), and a noisy count below the minimum is suppressed. No person-level row is ever returned. Only the key that created the campaign (or an admin key) may; for any other the campaign does not exist (404). Needs an API key with the `ads` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "ads"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "campaign",
            "in": "path",
            "required": true,
            "description": "The campaign's id.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "epsilon",
            "in": "query",
            "required": false,
            "description": "The privacy loss of this report.",
            "schema": {
              "type": "number",
              "minimum": 0.05,
              "maximum": 2,
              "default": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AdReport"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          }
        }
      }
    },
    "/v1/people/{person}/ads": {
      "get": {
        "operationId": "getAdsForPerson",
        "summary": "Returns ads for a person on a page, each with its reason.",
        "description": "Interest topics are used only when the person's consent permits `advertising` and they have not refused `sale-or-sharing`; otherwise the ads are chosen from the context alone and nothing about the person is used or recorded. Campaigns are ranked by bid × predicted click rate within their paced budgets, frequency caps and k-anonymous audiences; each ad shown is an impression. A request carrying `Sec-GPC: 1` first records refusals of `sale-or-sharing` and `advertising` for the person. Needs an API key with the `recommend` scope (a key with `admin` may call every route). Also accepts the person's own token (`tpt1.…`) for that person only.",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": true,
        "parameters": [
          {
            "name": "person",
            "in": "path",
            "required": true,
            "description": "Your app's id for the person (1 to 256 characters, percent-encoded in the path). Tact replaces it with a keyed pseudonym before anything is stored.",
            "schema": {
              "type": "string",
              "minLength": 1
            }
          },
          {
            "name": "context",
            "in": "query",
            "required": false,
            "description": "The id of the item or page being viewed: contextual ads fit its topics.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "k",
            "in": "query",
            "required": false,
            "description": "How many ads (one per advertiser).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10,
              "default": 1
            }
          },
          {
            "$ref": "#/components/parameters/SecGPC"
          }
        ],
        "responses": {
          "200": {
            "description": "The ads.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ads"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/ads/contextual": {
      "get": {
        "operationId": "getContextualAds",
        "summary": "Returns ads for an anonymous visitor, chosen from the page alone.",
        "description": "No person is named or recorded. Needs an API key with the `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [
          {
            "name": "context",
            "in": "query",
            "required": false,
            "description": "The id of the item or page being viewed: contextual ads fit its topics.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "k",
            "in": "query",
            "required": false,
            "description": "How many ads (one per advertiser).",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10,
              "default": 1
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The ads.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Ads"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          }
        }
      }
    },
    "/v1/ads/clicks": {
      "post": {
        "operationId": "recordAdClick",
        "summary": "Records a click on an impression.",
        "description": "Names the impression by the token the ad came with; a click counts toward the campaign's click rate and reports, and names no one the impression did not. Needs an API key with the `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AdEventRequest"
              }
            }
          }
        },
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "202": {
            "$ref": "#/components/responses/AdEventRecorded"
          }
        }
      }
    },
    "/v1/ads/conversions": {
      "post": {
        "operationId": "recordAdConversion",
        "summary": "Records a conversion after an impression.",
        "description": "Names the impression by the token the ad came with; a conversion counts toward the campaign's click rate and reports, and names no one the impression did not. Needs an API key with the `recommend` scope (a key with `admin` may call every route).",
        "tags": [
          "Advertising"
        ],
        "security": [
          {
            "bearerAuth": []
          }
        ],
        "x-tact-scopes": [
          "recommend"
        ],
        "x-tact-person-token": false,
        "parameters": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AdEventRequest"
              }
            }
          }
        },
        "responses": {
          "400": {
            "$ref": "#/components/responses/BadRequest"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "403": {
            "$ref": "#/components/responses/Forbidden"
          },
          "429": {
            "$ref": "#/components/responses/RateLimited"
          },
          "500": {
            "$ref": "#/components/responses/InternalError"
          },
          "404": {
            "$ref": "#/components/responses/NotFound"
          },
          "202": {
            "$ref": "#/components/responses/AdEventRecorded"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key `tact_…` (create with `tact keys create --name NAME --scopes LIST` or `POST /v1/keys`) or a person token `tpt1.…` (from `POST /v1/people/{person}/tokens`). Scopes: ingest, recommend, catalog, subjects, audit, ads, admin (admin allows everything). Each operation lists the scopes it needs in `x-tact-scopes`, and whether it also accepts the person's own token in `x-tact-person-token`."
      }
    },
    "parameters": {
      "SecGPC": {
        "name": "Sec-GPC",
        "in": "header",
        "required": false,
        "description": "Global Privacy Control. `1` records refusals of `sale-or-sharing` and `advertising` for the person the request is about (source `gpc`), unless already refused; any other value is no signal, as the GPC specification says. Forward the browser's header.",
        "schema": {
          "type": "string"
        }
      },
      "PlaylistLength": {
        "name": "length",
        "in": "query",
        "required": false,
        "description": "Items in the playlist.",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 200,
          "default": 30
        }
      },
      "PlaylistFamiliarShare": {
        "name": "familiarShare",
        "in": "query",
        "required": false,
        "description": "Share of familiar items (the person's own, not had in the last 7 days), 0 to 1.",
        "schema": {
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "default": 0.3
        }
      },
      "PlaylistMaxPerTag": {
        "name": "maxPerTag",
        "in": "query",
        "required": false,
        "description": "At most this many items sharing a tag; 0 for no cap.",
        "schema": {
          "type": "integer",
          "minimum": 0,
          "maximum": 200,
          "default": 0
        }
      },
      "PlaylistSmoothness": {
        "name": "smoothness",
        "in": "query",
        "required": false,
        "description": "Weight of an item's similarity to the one before it, against its relevance (0 to 1).",
        "schema": {
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "default": 0.5
        }
      }
    },
    "headers": {
      "X-Request-Id": {
        "description": "The request's id; it is in the server's log lines and in a problem's `instance`.",
        "schema": {
          "type": "string"
        }
      },
      "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {
          "type": "integer",
          "minimum": 1
        }
      },
      "WWW-Authenticate": {
        "description": "`Bearer realm=\"tact\"`.",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request is not valid (`type` `/problems/invalid-request`); `field` names the field or parameter at fault.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "BadCredentials": {
        "description": "An `Authorization` header was sent and its credential is not valid (`/problems/unauthorized`). This route needs none: send none, or a valid one.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          },
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No credentials, or an unknown, revoked or expired API key or person token (`/problems/unauthorized`).",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          },
          "WWW-Authenticate": {
            "$ref": "#/components/headers/WWW-Authenticate"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Forbidden": {
        "description": "The key lacks the scope this route needs, or a person token is used on a route or person it does not cover (`/problems/forbidden`).",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "NotFound": {
        "description": "What the path names does not exist (`/problems/not-found`); `field` names the path parameter.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "TooLarge": {
        "description": "The body is larger than the server accepts (`--max-body`, 1 MiB by default) (`/problems/too-large`); split the request.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "RateLimited": {
        "description": "This key (or person token) has used its request rate (`/problems/rate-limited`); retry after `Retry-After` seconds.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          },
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "InternalError": {
        "description": "The server failed (`/problems/internal`); the log line with this request id says why.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unavailable": {
        "description": "The request took longer than the server's timeout (`--timeout`, 10 s by default) and was abandoned (`/problems/unavailable`); retry it, or send a smaller batch.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          },
          "Retry-After": {
            "$ref": "#/components/headers/Retry-After"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "AdEventRecorded": {
        "description": "Recorded.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/AdEventRecorded"
            }
          }
        }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "description": "An RFC 9457 problem document, answered with `Content-Type: application/problem+json` for every error.",
        "required": [
          "status",
          "title",
          "detail",
          "type"
        ],
        "properties": {
          "status": {
            "type": "integer",
            "description": "The HTTP status code.",
            "examples": [
              400
            ]
          },
          "title": {
            "type": "string",
            "description": "A short, stable summary of the kind of problem.",
            "examples": [
              "The request is not valid"
            ]
          },
          "detail": {
            "type": "string",
            "description": "What was wrong in this request and what to do about it.",
            "examples": [
              "unknown kind 'wacth'; use one of: view, click, play, like, dislike, skip, purchase, rating"
            ]
          },
          "type": {
            "type": "string",
            "format": "uri-reference",
            "description": "The kind of problem, relative to the API: /problems/invalid-request, unauthorized, forbidden, not-found, too-large, rate-limited, unavailable, no-model, training-running, method-not-allowed, internal.",
            "examples": [
              "/problems/invalid-request"
            ]
          },
          "field": {
            "type": "string",
            "description": "The request field at fault, as a path such as `events[3].kind` (or a query or path parameter name), when one is.",
            "examples": [
              "events[3].kind"
            ]
          },
          "instance": {
            "type": "string",
            "description": "The request id as a URN; the same id is in the `X-Request-Id` header and in the server's log lines.",
            "examples": [
              "urn:tact:request:3f2a9c0d1e"
            ]
          }
        }
      },
      "Purpose": {
        "type": "string",
        "enum": [
          "essential",
          "personalization",
          "analytics",
          "advertising",
          "sale-or-sharing",
          "model-training"
        ],
        "description": "A purpose of processing."
      },
      "Scope": {
        "type": "string",
        "enum": [
          "ingest",
          "recommend",
          "catalog",
          "subjects",
          "audit",
          "admin"
        ],
        "description": "A scope: what a key may do. `admin` allows everything."
      },
      "Health": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "live",
              "ready",
              "not-ready"
            ]
          },
          "modelVersion": {
            "type": "integer",
            "description": "The version of the model in service (readiness only)."
          },
          "detail": {
            "type": "string",
            "description": "Why the server is not ready."
          }
        }
      },
      "PrivacyPolicy": {
        "type": "object",
        "required": [
          "version",
          "controller",
          "contact",
          "purposes",
          "dataCategories",
          "recipients"
        ],
        "properties": {
          "version": {
            "type": "string",
            "description": "Changes whenever the text changes; consent records name the version the person saw."
          },
          "controller": {
            "type": "string",
            "description": "Who is responsible for the data."
          },
          "contact": {
            "type": "string"
          },
          "purposes": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "purpose",
                "description",
                "legalBasis"
              ],
              "properties": {
                "purpose": {
                  "$ref": "#/components/schemas/Purpose"
                },
                "description": {
                  "type": "string",
                  "description": "One or two plain sentences a person can understand."
                },
                "legalBasis": {
                  "type": "string",
                  "enum": [
                    "consent",
                    "contract",
                    "legitimate-interests",
                    "legal-obligation",
                    "vital-interests",
                    "public-task"
                  ]
                }
              }
            }
          },
          "dataCategories": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "description"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "retentionDays": {
                  "type": "integer",
                  "minimum": 1,
                  "description": "Days records of this category are kept; absent: as long as the account exists."
                }
              }
            }
          },
          "recipients": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "purposes",
                "description"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "purposes": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Purpose"
                  }
                },
                "description": {
                  "type": "string"
                },
                "transfer": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "description": "Where this recipient receives data in a third country or an international organisation: the destination and the safeguard (GDPR Art. 46). Absent when it does not."
                }
              }
            }
          }
        }
      },
      "Event": {
        "type": "object",
        "required": [
          "user",
          "item"
        ],
        "properties": {
          "user": {
            "type": "string",
            "minLength": 1,
            "description": "Your app's id for the person (1 to 256 characters); pseudonymized before storage."
          },
          "item": {
            "type": "string",
            "minLength": 1,
            "description": "The item's id (1 to 256 characters). Write items with the catalog routes first; an id the store does not know is stored as a bare item (counted in `newItems`)."
          },
          "kind": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "view",
              "click",
              "play",
              "like",
              "dislike",
              "skip",
              "purchase",
              "rating",
              null
            ],
            "default": "view"
          },
          "value": {
            "type": [
              "number",
              "null"
            ],
            "description": "The event's strength (e.g. a rating); at most 1e9 in size. Default: 1, or -1 for dislike and skip, 3 for rating.",
            "minimum": -1000000000.0,
            "maximum": 1000000000.0
          },
          "timestamp": {
            "oneOf": [
              {
                "type": "number",
                "description": "Seconds since 1970 (a fraction is dropped).",
                "minimum": -62135596800,
                "maximum": 253402300799
              },
              {
                "type": "string",
                "description": "An ISO 8601 / RFC 3339 date, e.g. 2024-05-01T12:00:00Z.",
                "format": "date-time"
              },
              {
                "type": "null"
              }
            ],
            "description": "When it happened; default: when the server received it."
          },
          "purpose": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/Purpose"
              },
              {
                "type": "null"
              }
            ],
            "description": "The purpose the event serves; default `personalization`. The person's consent for it decides whether the event is stored."
          },
          "context": {
            "type": [
              "string",
              "null"
            ],
            "description": "Optional free text that came with the event (a note, a search query); at most 2000 characters."
          }
        }
      },
      "EventBatch": {
        "type": "object",
        "required": [
          "events"
        ],
        "properties": {
          "events": {
            "type": "array",
            "minItems": 1,
            "maxItems": 10000,
            "items": {
              "$ref": "#/components/schemas/Event"
            }
          }
        },
        "examples": [
          {
            "events": [
              {
                "user": "alice",
                "item": "song-42",
                "kind": "play",
                "timestamp": "2024-05-01T12:00:00Z"
              }
            ]
          }
        ]
      },
      "EventsAccepted": {
        "type": "object",
        "required": [
          "received",
          "accepted",
          "refused",
          "refusedByPurpose",
          "newPeople",
          "newItems",
          "consentRecords"
        ],
        "properties": {
          "received": {
            "type": "integer",
            "description": "Events in the request."
          },
          "accepted": {
            "type": "integer",
            "description": "Events stored."
          },
          "refused": {
            "type": "integer",
            "description": "Events not stored for want of consent."
          },
          "refusedByPurpose": {
            "type": "object",
            "additionalProperties": {
              "type": "integer"
            },
            "description": "Refused events per purpose name."
          },
          "newPeople": {
            "type": "integer",
            "description": "People seen for the first time."
          },
          "newItems": {
            "type": "integer",
            "description": "Items added to the catalog because an event named them."
          },
          "consentRecords": {
            "type": "integer",
            "description": "Consent ledger records written (e.g. refusals from a GPC signal)."
          }
        }
      },
      "Item": {
        "type": "object",
        "required": [
          "id",
          "title",
          "tags"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "tags": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "createdAt": {
            "type": "integer",
            "format": "int64",
            "description": "When the item was published, in seconds since 1970, when known."
          }
        }
      },
      "ItemInput": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "minLength": 1,
            "description": "The item's id (1 to 256 characters)."
          },
          "title": {
            "type": [
              "string",
              "null"
            ],
            "description": "At most 1000 characters; default empty.",
            "maxLength": 1000
          },
          "tags": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 100,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 100
            },
            "description": "At most 100 tags of 1 to 100 characters. Tag items `sponsored` to make them advertising inventory (placements only)."
          },
          "createdAt": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "When the item was published, in seconds since 1970."
          }
        },
        "required": [
          "id"
        ]
      },
      "ItemBatch": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 10000,
            "items": {
              "allOf": [
                {
                  "$ref": "#/components/schemas/ItemInput"
                },
                {
                  "required": [
                    "id"
                  ]
                }
              ]
            }
          }
        }
      },
      "ItemPage": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Item"
            }
          },
          "next": {
            "type": "string",
            "description": "Pass as `after` for the next page; absent on the last page."
          }
        }
      },
      "Upserted": {
        "type": "object",
        "required": [
          "upserted"
        ],
        "properties": {
          "upserted": {
            "type": "integer",
            "description": "Items written."
          }
        }
      },
      "Deleted": {
        "type": "object",
        "required": [
          "deleted",
          "eventsRemoved"
        ],
        "properties": {
          "deleted": {
            "type": "string",
            "description": "The deleted item's id."
          },
          "eventsRemoved": {
            "type": "integer",
            "description": "Events about the item that were deleted with it."
          }
        }
      },
      "Reason": {
        "type": "object",
        "required": [
          "kind"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "because-you-had",
              "popular"
            ],
            "description": "`because-you-had`: an item from the person's history explains this one; `popular`: one of everyone's favourites."
          },
          "item": {
            "type": "object",
            "required": [
              "id",
              "title"
            ],
            "properties": {
              "id": {
                "type": "string"
              },
              "title": {
                "type": "string"
              }
            },
            "description": "The history item (because-you-had): its id and title."
          },
          "share": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "Share of the score this history item accounts for (because-you-had)."
          },
          "rank": {
            "type": "integer",
            "minimum": 1,
            "description": "Rank among everyone's favourites (popular)."
          }
        }
      },
      "RecommendedItem": {
        "type": "object",
        "required": [
          "item",
          "score",
          "reasons"
        ],
        "properties": {
          "item": {
            "$ref": "#/components/schemas/Item"
          },
          "score": {
            "type": "number"
          },
          "reasons": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Reason"
            }
          }
        }
      },
      "ModelInfo": {
        "type": "object",
        "required": [
          "version",
          "algorithm",
          "trainedAt"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "algorithm": {
            "type": "string"
          },
          "trainedAt": {
            "type": "integer",
            "format": "int64",
            "description": "When the model was trained, in seconds since 1970."
          }
        }
      },
      "Recommendations": {
        "type": "object",
        "required": [
          "recommendationId",
          "personalized",
          "items",
          "model"
        ],
        "properties": {
          "recommendationId": {
            "type": "string",
            "description": "Identifies this answer, to report which recommendation a person acted on (e.g. in an event's `context`)."
          },
          "personalized": {
            "type": "boolean"
          },
          "fallbackReason": {
            "type": "string",
            "enum": [
              "no-personalization-consent",
              "no-history",
              "unknown-person",
              "no-model"
            ],
            "description": "Why the answer is not personalized; absent when it is."
          },
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RecommendedItem"
            }
          },
          "model": {
            "$ref": "#/components/schemas/ModelInfo"
          }
        }
      },
      "Placements": {
        "type": "object",
        "required": [
          "recommendationId",
          "placements"
        ],
        "properties": {
          "recommendationId": {
            "type": "string"
          },
          "placements": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RecommendedItem"
            },
            "description": "Sponsored items for this person; empty when advertising is not permitted for them."
          },
          "reason": {
            "type": "string",
            "enum": [
              "no-advertising-consent",
              "nothing-sponsored"
            ],
            "description": "Why there are none; absent when there are some."
          }
        }
      },
      "SimilarItems": {
        "type": "object",
        "required": [
          "item",
          "similar"
        ],
        "properties": {
          "item": {
            "$ref": "#/components/schemas/Item"
          },
          "similar": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "item",
                "similarity"
              ],
              "properties": {
                "item": {
                  "$ref": "#/components/schemas/Item"
                },
                "similarity": {
                  "type": "number"
                }
              }
            }
          }
        }
      },
      "PurposeState": {
        "type": "object",
        "required": [
          "purpose",
          "permitted"
        ],
        "properties": {
          "purpose": {
            "$ref": "#/components/schemas/Purpose"
          },
          "permitted": {
            "type": "boolean",
            "description": "Whether processing for this purpose is permitted now (the latest decision, or the consent mode's default)."
          },
          "decision": {
            "type": "string",
            "enum": [
              "grant",
              "deny"
            ],
            "description": "The latest decision; absent when the person has said nothing."
          },
          "source": {
            "type": "string",
            "enum": [
              "person",
              "operator",
              "import",
              "gpc",
              "objection"
            ],
            "description": "Who made the latest decision."
          },
          "recordedAt": {
            "type": "integer",
            "format": "int64",
            "description": "When the latest decision was recorded, in seconds since 1970."
          }
        }
      },
      "Consent": {
        "type": "object",
        "required": [
          "mode",
          "policyVersion",
          "purposes"
        ],
        "properties": {
          "mode": {
            "type": "string",
            "enum": [
              "opt-in",
              "opt-out"
            ],
            "description": "opt-in (GDPR: refused until granted) or opt-out (CCPA: permitted until refused)."
          },
          "policyVersion": {
            "type": "string",
            "description": "The version of the policy in force."
          },
          "purposes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PurposeState"
            }
          }
        }
      },
      "ConsentChange": {
        "type": "object",
        "required": [
          "decisions"
        ],
        "properties": {
          "decisions": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {
              "$ref": "#/components/schemas/Purpose"
            },
            "additionalProperties": {
              "type": "string",
              "enum": [
                "grant",
                "refuse",
                "withdraw"
              ]
            },
            "description": "Decisions by purpose name. `refuse` and `withdraw` both record a denial."
          },
          "source": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "person",
              "operator",
              null
            ],
            "default": "person",
            "description": "`person`: the person decided (e.g. in your consent prompt); `operator`: you act on their documented request (API keys only)."
          }
        },
        "examples": [
          {
            "decisions": {
              "personalization": "grant",
              "advertising": "refuse"
            }
          }
        ]
      },
      "PersonToken": {
        "type": "object",
        "required": [
          "token",
          "expiresAt"
        ],
        "properties": {
          "token": {
            "type": "string",
            "description": "Send as `Authorization: Bearer tpt1.…`."
          },
          "expiresAt": {
            "type": "integer",
            "format": "int64",
            "description": "When the token stops working, in seconds since 1970."
          }
        }
      },
      "Key": {
        "type": "object",
        "required": [
          "id",
          "name",
          "scopes",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string",
            "description": "The key's id, e.g. `k3f9a01b2c4`; safe to log."
          },
          "name": {
            "type": "string"
          },
          "scopes": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Scope"
            }
          },
          "createdAt": {
            "type": "integer",
            "format": "int64",
            "description": "Seconds since 1970."
          },
          "revokedAt": {
            "type": "integer",
            "format": "int64",
            "description": "When the key was revoked, in seconds since 1970; absent while it is active."
          },
          "key": {
            "type": "string",
            "description": "The key itself (`tact_…`): only in the answer that creates it."
          }
        }
      },
      "KeyList": {
        "type": "object",
        "required": [
          "keys"
        ],
        "properties": {
          "keys": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Key"
            }
          }
        }
      },
      "NewKey": {
        "type": "object",
        "required": [
          "name",
          "scopes"
        ],
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
            "description": "What the key is for, e.g. the client that uses it: printable text, no control or format characters, no line breaks.",
            "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]+$"
          },
          "scopes": {
            "type": "array",
            "minItems": 1,
            "items": {
              "$ref": "#/components/schemas/Scope"
            }
          }
        },
        "examples": [
          {
            "name": "web-frontend",
            "scopes": [
              "ingest",
              "recommend"
            ]
          }
        ]
      },
      "ModelState": {
        "type": "object",
        "required": [
          "version",
          "algorithm",
          "trainedAt",
          "ageSeconds",
          "items",
          "eventsSinceTraining"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "description": "Starts at 1 when the server starts and grows with each retraining."
          },
          "algorithm": {
            "type": "string"
          },
          "trainedAt": {
            "type": "integer",
            "format": "int64",
            "description": "Seconds since 1970."
          },
          "ageSeconds": {
            "type": "number"
          },
          "items": {
            "type": "integer",
            "description": "Items the model knows."
          },
          "eventsSinceTraining": {
            "type": "integer",
            "description": "Events accepted by this server since the model was trained."
          }
        }
      },
      "AuditEntry": {
        "type": "object",
        "required": [
          "at",
          "actor",
          "action",
          "detail"
        ],
        "properties": {
          "at": {
            "type": "integer",
            "format": "int64",
            "description": "Seconds since 1970."
          },
          "actor": {
            "type": "string",
            "description": "Who acted, e.g. `key:k3f9a01b2c4`, `person-token:k3f9a01b2c4` or `cli`."
          },
          "action": {
            "type": "string",
            "description": "What was done, e.g. `catalog.delete`."
          },
          "subject": {
            "type": "string",
            "description": "The person's audit handle in hex: 16 random bytes kept beside their pseudonym, never the pseudonym or id; once the person is erased it links to no one."
          },
          "purpose": {
            "$ref": "#/components/schemas/Purpose"
          },
          "detail": {
            "type": "string"
          }
        }
      },
      "AuditList": {
        "type": "object",
        "required": [
          "entries"
        ],
        "properties": {
          "entries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/AuditEntry"
            }
          }
        }
      },
      "ItemFields": {
        "type": "object",
        "properties": {
          "title": {
            "type": [
              "string",
              "null"
            ],
            "description": "At most 1000 characters; default empty.",
            "maxLength": 1000
          },
          "tags": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 100,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 100
            },
            "description": "At most 100 tags of 1 to 100 characters. Tag items `sponsored` to make them advertising inventory (placements only)."
          },
          "createdAt": {
            "type": [
              "integer",
              "null"
            ],
            "format": "int64",
            "description": "When the item was published, in seconds since 1970."
          }
        },
        "description": "An item's fields; its id is in the path."
      },
      "SubjectExport": {
        "type": "object",
        "properties": {
          "format": {
            "type": "string"
          },
          "generatedAt": {
            "type": "integer"
          },
          "controller": {
            "type": "string"
          },
          "contact": {
            "type": "string"
          },
          "policyVersion": {
            "type": "string"
          },
          "person": {
            "type": "object",
            "properties": {
              "id": {
                "type": "string"
              },
              "known": {
                "type": "boolean"
              },
              "restrictedAt": {
                "type": "integer"
              }
            },
            "required": [
              "id",
              "known"
            ]
          },
          "consent": {
            "type": "object",
            "properties": {
              "mode": {
                "type": "string"
              },
              "current": {
                "type": "array",
                "items": {
                  "$ref": "#/components/schemas/PurposeState"
                }
              },
              "history": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "purpose": {
                      "type": "string"
                    },
                    "decision": {
                      "type": "string"
                    },
                    "source": {
                      "type": "string"
                    },
                    "recordedAt": {
                      "type": "integer"
                    },
                    "policyVersion": {
                      "type": "string"
                    },
                    "note": {
                      "type": "string"
                    }
                  },
                  "required": [
                    "purpose",
                    "decision",
                    "source",
                    "recordedAt",
                    "policyVersion"
                  ]
                }
              }
            },
            "required": [
              "mode",
              "current",
              "history"
            ]
          },
          "interactions": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer"
                },
                "item": {
                  "type": "string"
                },
                "title": {
                  "type": "string"
                },
                "kind": {
                  "type": "string"
                },
                "value": {
                  "type": "number"
                },
                "timestamp": {
                  "type": "integer"
                },
                "context": {
                  "type": "string"
                }
              },
              "required": [
                "id",
                "item",
                "title",
                "kind",
                "value",
                "timestamp"
              ]
            }
          },
          "profile": {
            "type": "object",
            "properties": {
              "summary": {
                "type": "string"
              },
              "topTags": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string"
                    },
                    "share": {
                      "type": "number"
                    }
                  },
                  "required": [
                    "name",
                    "share"
                  ]
                }
              },
              "drivers": {
                "type": "array",
                "items": {
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string"
                    },
                    "share": {
                      "type": "number"
                    }
                  },
                  "required": [
                    "name",
                    "share"
                  ]
                }
              },
              "personalized": {
                "type": "boolean"
              }
            },
            "required": [
              "summary",
              "topTags",
              "drivers",
              "personalized"
            ]
          },
          "recommendations": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "item": {
                  "type": "string"
                },
                "title": {
                  "type": "string"
                },
                "score": {
                  "type": "number"
                },
                "reasons": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "item": {
                        "type": "string"
                      },
                      "title": {
                        "type": "string"
                      },
                      "share": {
                        "type": "number"
                      }
                    },
                    "required": [
                      "item",
                      "title",
                      "share"
                    ]
                  }
                }
              },
              "required": [
                "item",
                "title",
                "score",
                "reasons"
              ]
            }
          },
          "audit": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "at": {
                  "type": "integer"
                },
                "actor": {
                  "type": "string"
                },
                "action": {
                  "type": "string"
                },
                "purpose": {
                  "type": "string"
                },
                "detail": {
                  "type": "string"
                }
              },
              "required": [
                "at",
                "actor",
                "action",
                "detail"
              ]
            }
          },
          "requests": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer"
                },
                "kind": {
                  "type": "string"
                },
                "status": {
                  "type": "string"
                },
                "receivedAt": {
                  "type": "integer"
                },
                "verifiedAt": {
                  "type": "integer"
                },
                "completedAt": {
                  "type": "integer"
                },
                "dueAt": {
                  "type": "integer"
                }
              },
              "required": [
                "id",
                "kind",
                "status",
                "receivedAt",
                "dueAt"
              ]
            }
          }
        },
        "required": [
          "format",
          "generatedAt",
          "controller",
          "contact",
          "policyVersion",
          "person",
          "consent",
          "interactions",
          "profile",
          "recommendations",
          "audit",
          "requests"
        ],
        "description": "Everything held about one person."
      },
      "Erasure": {
        "type": "object",
        "properties": {
          "request": {
            "type": "integer"
          },
          "found": {
            "type": "boolean"
          },
          "interactionsRemoved": {
            "type": "integer"
          },
          "consentRecordsRemoved": {
            "type": "integer"
          },
          "keyShredded": {
            "type": "boolean"
          },
          "userVectorsDropped": {
            "type": "integer"
          },
          "itemsResolved": {
            "type": "integer"
          },
          "awaitingRetrain": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "modelVersion": {
            "type": "integer"
          }
        },
        "required": [
          "request",
          "found",
          "interactionsRemoved",
          "consentRecordsRemoved",
          "keyShredded",
          "userVectorsDropped",
          "itemsResolved",
          "awaitingRetrain",
          "modelVersion"
        ]
      },
      "Rectification": {
        "type": "object",
        "properties": {
          "delete": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "integer",
              "format": "int64",
              "minimum": -9223372036854775808,
              "maximum": 9223372036854775807
            },
            "description": "Interaction ids to delete.",
            "minItems": 1
          },
          "corrections": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": -9223372036854775808,
                  "maximum": 9223372036854775807
                },
                "kind": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "enum": [
                    "view",
                    "click",
                    "play",
                    "like",
                    "dislike",
                    "skip",
                    "purchase",
                    "rating",
                    null
                  ],
                  "description": "The new kind; null or absent keeps the old one."
                },
                "value": {
                  "type": [
                    "number",
                    "null"
                  ],
                  "description": "The new value; null or absent keeps the old one."
                }
              },
              "required": [
                "id"
              ],
              "anyOf": [
                {
                  "required": [
                    "kind"
                  ],
                  "properties": {
                    "kind": {
                      "type": "string"
                    }
                  }
                },
                {
                  "required": [
                    "value"
                  ],
                  "properties": {
                    "value": {
                      "type": "number"
                    }
                  }
                }
              ]
            },
            "minItems": 1
          }
        },
        "anyOf": [
          {
            "required": [
              "delete"
            ],
            "properties": {
              "delete": {
                "type": "array"
              }
            }
          },
          {
            "required": [
              "corrections"
            ],
            "properties": {
              "corrections": {
                "type": "array"
              }
            }
          }
        ],
        "description": "At least one interaction to delete or one correction to make."
      },
      "RectificationResult": {
        "type": "object",
        "properties": {
          "request": {
            "type": "integer"
          },
          "deleted": {
            "type": "integer"
          },
          "corrected": {
            "type": "integer"
          },
          "unknownIDs": {
            "type": "array",
            "items": {
              "type": "integer"
            }
          },
          "itemsResolved": {
            "type": "integer"
          }
        },
        "required": [
          "request",
          "deleted",
          "corrected",
          "unknownIDs",
          "itemsResolved"
        ]
      },
      "Restriction": {
        "type": "object",
        "properties": {
          "request": {
            "type": "integer"
          },
          "restricted": {
            "type": "boolean"
          },
          "userVectorsDropped": {
            "type": "integer"
          }
        },
        "required": [
          "request",
          "restricted",
          "userVectorsDropped"
        ]
      },
      "RequestList": {
        "type": "object",
        "properties": {
          "requests": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer"
                },
                "kind": {
                  "type": "string",
                  "enum": [
                    "access",
                    "erasure",
                    "rectification",
                    "restriction",
                    "restriction-lifted",
                    "objection",
                    "withdrawal"
                  ]
                },
                "status": {
                  "type": "string",
                  "enum": [
                    "received",
                    "verified",
                    "completed",
                    "refused"
                  ]
                },
                "actor": {
                  "type": "string"
                },
                "receivedAt": {
                  "type": "integer"
                },
                "verifiedAt": {
                  "type": "integer"
                },
                "completedAt": {
                  "type": "integer"
                },
                "dueAt": {
                  "type": "integer"
                },
                "overdue": {
                  "type": "boolean"
                },
                "detail": {
                  "type": "string"
                }
              },
              "required": [
                "id",
                "kind",
                "status",
                "actor",
                "receivedAt",
                "dueAt",
                "overdue",
                "detail"
              ]
            }
          }
        },
        "required": [
          "requests"
        ]
      },
      "PolicyChange": {
        "type": "object",
        "required": [
          "kind",
          "text"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "controller",
              "contact",
              "purpose-added",
              "purpose-removed",
              "purpose-description",
              "legal-basis",
              "category-added",
              "category-removed",
              "category-description",
              "retention",
              "recipient-added",
              "recipient-removed",
              "recipient-changed"
            ]
          },
          "text": {
            "type": "string",
            "description": "The change in plain words, e.g. `interactions: kept 730 days → 365 days`."
          }
        }
      },
      "PolicyVersionList": {
        "type": "object",
        "required": [
          "current",
          "versions"
        ],
        "properties": {
          "current": {
            "type": "string",
            "description": "The version in force."
          },
          "versions": {
            "type": "array",
            "description": "Newest first.",
            "items": {
              "type": "object",
              "required": [
                "version",
                "firstSeenAt",
                "current",
                "changes"
              ],
              "properties": {
                "version": {
                  "type": "string"
                },
                "firstSeenAt": {
                  "type": "integer",
                  "format": "int64",
                  "description": "When this installation first ran with it, in seconds since 1970."
                },
                "current": {
                  "type": "boolean"
                },
                "previous": {
                  "type": [
                    "string",
                    "null"
                  ],
                  "description": "The version the changes are from (the one recorded before); absent for the first."
                },
                "changes": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/PolicyChange"
                  }
                }
              }
            }
          }
        }
      },
      "ProcessingRecord": {
        "type": "object",
        "required": [
          "title",
          "policyVersion",
          "controller",
          "purposes",
          "dataSubjects",
          "dataCategories",
          "recipients",
          "transfers",
          "measures"
        ],
        "properties": {
          "title": {
            "type": "string"
          },
          "policyVersion": {
            "type": "string"
          },
          "controller": {
            "type": "object",
            "required": [
              "name",
              "contact"
            ],
            "properties": {
              "name": {
                "type": "string"
              },
              "contact": {
                "type": "string"
              }
            }
          },
          "purposes": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "purpose",
                "description",
                "legalBasis"
              ],
              "properties": {
                "purpose": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "legalBasis": {
                  "type": "string"
                }
              }
            }
          },
          "dataSubjects": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "dataCategories": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "description",
                "retention",
                "enforcement"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "retentionDays": {
                  "type": [
                    "integer",
                    "null"
                  ],
                  "description": "Absent: as long as the account exists."
                },
                "retention": {
                  "type": "string",
                  "description": "The period in words."
                },
                "enforcement": {
                  "type": "string",
                  "description": "How Tact applies the period."
                }
              }
            }
          },
          "recipients": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "purposes",
                "description"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "purposes": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                },
                "description": {
                  "type": "string"
                },
                "transfer": {
                  "type": [
                    "string",
                    "null"
                  ]
                }
              }
            }
          },
          "transfers": {
            "type": "array",
            "description": "Empty when no recipient names a transfer.",
            "items": {
              "type": "object",
              "required": [
                "recipient",
                "destination"
              ],
              "properties": {
                "recipient": {
                  "type": "string"
                },
                "destination": {
                  "type": "string"
                }
              }
            }
          },
          "measures": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "description"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "RetentionRunList": {
        "type": "object",
        "required": [
          "runs"
        ],
        "properties": {
          "intervalSeconds": {
            "type": [
              "number",
              "null"
            ],
            "description": "Seconds between the server's runs; absent when the server does not run the job."
          },
          "runs": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "ranAt",
                "actor",
                "policyVersion",
                "total",
                "categories"
              ],
              "properties": {
                "id": {
                  "type": "integer",
                  "format": "int64"
                },
                "ranAt": {
                  "type": "integer",
                  "format": "int64",
                  "description": "The time the run treated as now, in seconds since 1970."
                },
                "actor": {
                  "type": "string"
                },
                "policyVersion": {
                  "type": "string"
                },
                "total": {
                  "type": "integer",
                  "description": "Events deleted plus contexts emptied."
                },
                "categories": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": [
                      "name",
                      "action",
                      "count",
                      "summary"
                    ],
                    "properties": {
                      "name": {
                        "type": "string"
                      },
                      "retentionDays": {
                        "type": [
                          "integer",
                          "null"
                        ]
                      },
                      "cutoff": {
                        "type": [
                          "integer",
                          "null"
                        ],
                        "format": "int64",
                        "description": "Records older than this were affected."
                      },
                      "action": {
                        "type": "string",
                        "enum": [
                          "deleted",
                          "cleared",
                          "kept",
                          "not-applied"
                        ]
                      },
                      "count": {
                        "type": "integer"
                      },
                      "note": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "description": "Why the period is not applied."
                      },
                      "summary": {
                        "type": "string",
                        "description": "The outcome in words, e.g. `not applied: the audit log is append-only`."
                      }
                    }
                  }
                }
              }
            }
          }
        }
      },
      "PrivacyBudget": {
        "type": "object",
        "description": "The privacy budget per dataset and what differentially private releases spent (basic composition).",
        "properties": {
          "epsilon": {
            "type": "number"
          },
          "delta": {
            "type": "number"
          },
          "datasets": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "dataset": {
                  "type": "string"
                },
                "spentEpsilon": {
                  "type": "number"
                },
                "spentDelta": {
                  "type": "number"
                },
                "remainingEpsilon": {
                  "type": "number"
                },
                "remainingDelta": {
                  "type": "number"
                },
                "releases": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "release": {
                        "type": "string"
                      },
                      "mechanism": {
                        "type": "string"
                      },
                      "epsilon": {
                        "type": "number"
                      },
                      "delta": {
                        "type": "number"
                      },
                      "recordedAt": {
                        "type": "integer"
                      }
                    },
                    "required": [
                      "release",
                      "mechanism",
                      "epsilon",
                      "delta",
                      "recordedAt"
                    ]
                  }
                }
              },
              "required": [
                "dataset",
                "spentEpsilon",
                "spentDelta",
                "remainingEpsilon",
                "remainingDelta",
                "releases"
              ]
            }
          }
        },
        "required": [
          "epsilon",
          "delta",
          "datasets"
        ]
      },
      "FederatedTask": {
        "type": "object",
        "description": "What devices must do now.",
        "properties": {
          "session": {
            "type": "string"
          },
          "round": {
            "type": "integer"
          },
          "rounds": {
            "type": "integer"
          },
          "aggregation": {
            "type": "integer"
          },
          "kind": {
            "type": "string",
            "enum": [
              "residual",
              "product",
              "count",
              "statistics"
            ]
          },
          "step": {
            "type": "string",
            "enum": [
              "keys",
              "shares",
              "input",
              "consistency",
              "unmask",
              "finished"
            ]
          },
          "secureRound": {
            "type": "integer"
          },
          "items": {
            "type": "integer"
          },
          "factors": {
            "type": "integer"
          },
          "vectorLength": {
            "type": "integer"
          },
          "alpha": {
            "type": "number"
          },
          "regularization": {
            "type": "number"
          },
          "bound": {
            "type": "number"
          },
          "scale": {
            "type": [
              "number",
              "null"
            ]
          },
          "devices": {
            "type": "integer",
            "description": "Devices that joined this aggregation."
          },
          "keys": {
            "type": "integer",
            "description": "Distinct API keys among them; each counts once toward `minimumDevices`."
          },
          "normBound": {
            "type": "number",
            "description": "Fixed-point inputs: the largest L2 norm of one device's message. Devices clip to it (FixedPointCodec.encode(_:normBound:)); a sum past devices × normBound is refused."
          },
          "maxDevices": {
            "type": "integer",
            "description": "The most devices this aggregation takes: the least of what its sum holds, tact serve --federated-max-devices and the shares its mask graph needs."
          },
          "devicesPerKey": {
            "type": "integer",
            "description": "The most devices one API key may join to this aggregation."
          },
          "minimumDevices": {
            "type": "integer",
            "description": "Distinct API keys whose devices every sum must hold."
          },
          "encoding": {
            "type": "string",
            "enum": [
              "fixed-point",
              "integer"
            ]
          },
          "privateALS": {
            "type": [
              "object",
              "null"
            ],
            "description": "DP-ALS settings (with an ε)."
          },
          "epsilonSoFar": {
            "type": [
              "number",
              "null"
            ]
          }
        },
        "required": [
          "session",
          "round",
          "rounds",
          "aggregation",
          "kind",
          "step",
          "secureRound",
          "items",
          "factors",
          "vectorLength",
          "bound",
          "devices",
          "keys",
          "normBound",
          "maxDevices",
          "devicesPerKey",
          "minimumDevices",
          "encoding"
        ]
      },
      "FederatedStatus": {
        "type": "object",
        "properties": {
          "task": {
            "$ref": "#/components/schemas/FederatedTask"
          },
          "history": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "round": {
                  "type": "integer"
                },
                "aggregation": {
                  "type": "integer"
                },
                "kind": {
                  "type": "string"
                },
                "devices": {
                  "type": "integer"
                },
                "epsilonTotal": {
                  "type": [
                    "number",
                    "null"
                  ]
                }
              }
            }
          },
          "epsilonTarget": {
            "type": [
              "number",
              "null"
            ]
          },
          "delta": {
            "type": "number"
          },
          "abandoned": {
            "type": "integer",
            "description": "Aggregations abandoned (too few devices, shares that did not recover) and started again."
          }
        },
        "required": [
          "task",
          "history",
          "delta"
        ]
      },
      "FederatedStart": {
        "type": "object",
        "description": "All fields optional.",
        "properties": {
          "rounds": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "default": 5
          },
          "factors": {
            "type": "integer",
            "minimum": 1,
            "maximum": 512,
            "default": 16
          },
          "alpha": {
            "type": "number",
            "default": 4
          },
          "regularization": {
            "type": "number",
            "default": 1
          },
          "cgSteps": {
            "type": "integer",
            "minimum": 1,
            "maximum": 20,
            "default": 3
          },
          "epsilon": {
            "type": "number",
            "description": "Total ε: train federated DP-ALS."
          },
          "delta": {
            "type": "number",
            "default": 1e-05
          },
          "maxItemsPerPerson": {
            "type": "integer",
            "default": 40
          },
          "bound": {
            "type": "number",
            "default": 256,
            "minimum": 0.001,
            "maximum": 1000000,
            "description": "Fixed-point clamp of each value."
          },
          "minimumDevices": {
            "type": "integer",
            "minimum": 3,
            "default": 3,
            "description": "Distinct API keys (not devices) whose inputs every sum must hold; at most the most devices an aggregation takes (the task's `maxDevices`: tact serve --federated-max-devices, and 1,000 for the complete graph), 400 past it."
          },
          "normBound": {
            "type": "number",
            "minimum": 0.001,
            "maximum": 1000000000,
            "description": "Fixed-point inputs: the largest L2 norm of one device's message (default: bound). Devices clip to it; a sum past devices × normBound is refused."
          },
          "graph": {
            "type": "string",
            "enum": [
              "complete",
              "harary"
            ],
            "default": "complete"
          },
          "degree": {
            "type": "integer",
            "default": 32,
            "description": "Harary graph: neighbors per device, even (half on each side of the ring)."
          }
        }
      },
      "FederatedModel": {
        "type": "object",
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "factors": {
            "type": "integer"
          },
          "itemFactors": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "direction": {
            "type": [
              "string",
              "null"
            ],
            "contentEncoding": "base64"
          },
          "covered": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "integer"
            }
          }
        },
        "required": [
          "items",
          "factors",
          "itemFactors"
        ]
      },
      "FederatedJoin": {
        "type": "object",
        "properties": {
          "channelKey": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "maskKey": {
            "type": "string",
            "contentEncoding": "base64"
          },
          "signingKey": {
            "type": "string",
            "contentEncoding": "base64",
            "description": "The device's long-lived Ed25519 public key (32 bytes): its identity to its neighbors."
          },
          "signature": {
            "type": "string",
            "contentEncoding": "base64",
            "description": "Ed25519 signature of \"tact secagg keys v1\" ‖ secureRound (UInt64 little-endian) ‖ channelKey ‖ maskKey."
          },
          "personToken": {
            "type": "string",
            "description": "The token (tpt1.…) of the person this device contributes for."
          }
        },
        "required": [
          "channelKey",
          "maskKey",
          "signingKey",
          "signature",
          "personToken"
        ]
      },
      "FederatedJoined": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "token": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "token"
        ]
      },
      "FederatedNeighborhood": {
        "type": "object",
        "properties": {
          "neighbors": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer"
                },
                "channelKey": {
                  "type": "string",
                  "contentEncoding": "base64"
                },
                "maskKey": {
                  "type": "string",
                  "contentEncoding": "base64"
                },
                "signingKey": {
                  "type": "string",
                  "contentEncoding": "base64"
                },
                "signature": {
                  "type": "string",
                  "contentEncoding": "base64"
                }
              },
              "required": [
                "id",
                "channelKey",
                "maskKey",
                "signingKey",
                "signature"
              ]
            }
          },
          "threshold": {
            "type": "integer",
            "description": "The server's threshold. A device does not trust it: it computes max(⌊n/2⌋ + 1, n − ⌊(n + 1)/3⌋) of its n neighbors itself and aborts if this differs."
          }
        },
        "required": [
          "neighbors",
          "threshold"
        ]
      },
      "FederatedShares": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "shares": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "from": {
                  "type": "integer"
                },
                "to": {
                  "type": "integer"
                },
                "ciphertext": {
                  "type": "string",
                  "contentEncoding": "base64"
                }
              },
              "required": [
                "from",
                "to",
                "ciphertext"
              ]
            }
          },
          "seedCommitment": {
            "type": "string",
            "contentEncoding": "base64",
            "description": "SHA-256 of \"tact secagg seed v1\" ‖ secureRound (8 bytes LE) ‖ id (4 bytes LE) ‖ the 32-byte self-mask seed: the server checks the seed it rebuilds against it."
          }
        },
        "required": [
          "id",
          "shares",
          "seedCommitment"
        ]
      },
      "FederatedShareList": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "from": {
              "type": "integer"
            },
            "to": {
              "type": "integer"
            },
            "ciphertext": {
              "type": "string",
              "contentEncoding": "base64"
            }
          },
          "required": [
            "from",
            "to",
            "ciphertext"
          ]
        }
      },
      "FederatedInput": {
        "type": "object",
        "properties": {
          "id": {
            "type": "integer"
          },
          "words": {
            "type": "string",
            "contentEncoding": "base64"
          }
        },
        "required": [
          "id",
          "words"
        ]
      },
      "FederatedSurvivors": {
        "type": "object",
        "properties": {
          "survivors": {
            "type": "array",
            "items": {
              "type": "integer"
            }
          }
        },
        "required": [
          "survivors"
        ]
      },
      "FederatedSignature": {
        "type": "object",
        "description": "A device's Ed25519 signature of \"tact secagg survivors v1\" ‖ secureRound (8 bytes LE) ‖ its own channelKey ‖ maskKey of this aggregation ‖ count (4 bytes LE) ‖ the survivor ids in increasing order (4 bytes LE each).",
        "properties": {
          "id": {
            "type": "integer"
          },
          "signature": {
            "type": "string",
            "contentEncoding": "base64"
          }
        },
        "required": [
          "id",
          "signature"
        ]
      },
      "FederatedSignatures": {
        "type": "object",
        "properties": {
          "signatures": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FederatedSignature"
            }
          }
        },
        "required": [
          "signatures"
        ]
      },
      "FederatedUnmask": {
        "type": "object",
        "description": "Dictionaries keyed by device id, encoded as [id, share, id, share, …].",
        "properties": {
          "id": {
            "type": "integer"
          },
          "seedShares": {
            "type": "array",
            "items": {}
          },
          "keyShares": {
            "type": "array",
            "items": {}
          }
        },
        "required": [
          "id",
          "seedShares",
          "keyShares"
        ]
      },
      "GuardAlertList": {
        "type": "object",
        "properties": {
          "alerts": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "id": {
                  "type": "integer"
                },
                "at": {
                  "type": "integer"
                },
                "principal": {
                  "type": "string"
                },
                "severity": {
                  "type": "string",
                  "enum": [
                    "medium",
                    "high",
                    "critical"
                  ]
                },
                "kind": {
                  "type": "string"
                },
                "explanation": {
                  "type": "string"
                },
                "persons": {
                  "type": "integer"
                },
                "action": {
                  "type": "string",
                  "enum": [
                    "alert",
                    "suspend"
                  ]
                }
              },
              "required": [
                "at",
                "principal",
                "severity",
                "kind",
                "explanation",
                "persons",
                "action"
              ]
            }
          }
        },
        "required": [
          "alerts"
        ]
      },
      "Playlist": {
        "type": "object",
        "required": [
          "playlistId",
          "personalized",
          "week",
          "coherence",
          "items"
        ],
        "properties": {
          "playlistId": {
            "type": "string",
            "description": "Identifies this answer."
          },
          "personalized": {
            "type": "boolean",
            "description": "Made from the person's (or the session's) own history; false for everyone's favourites or a seed item."
          },
          "week": {
            "type": "integer",
            "description": "Weeks since Monday 1969-12-29: a person's playlist stays the same within one week and changes the next."
          },
          "coherence": {
            "type": "number",
            "description": "Mean similarity of consecutive items: how smoothly the playlist flows."
          },
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "position",
                "item",
                "familiar",
                "reason"
              ],
              "properties": {
                "position": {
                  "type": "integer",
                  "minimum": 1
                },
                "item": {
                  "$ref": "#/components/schemas/Item"
                },
                "familiar": {
                  "type": "boolean",
                  "description": "One of the person's own items, not had lately; otherwise a discovery."
                },
                "reason": {
                  "type": "string",
                  "description": "Why it is there, in words."
                }
              }
            }
          }
        }
      },
      "SessionRequest": {
        "type": "object",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 500,
            "items": {
              "type": "string"
            },
            "description": "Catalog ids of the session's items, oldest first; repeats add up. Ids the model does not know are left out."
          },
          "k": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "default": 10
          },
          "reasons": {
            "type": "integer",
            "minimum": 0,
            "maximum": 20,
            "default": 3
          },
          "mmrLambda": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 1
          },
          "maxPerTag": {
            "type": "integer",
            "minimum": 0,
            "maximum": 200,
            "default": 0
          },
          "novelty": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0
          },
          "exploration": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0
          },
          "length": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "default": 30,
            "description": "Playlist only."
          },
          "smoothness": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "default": 0.5,
            "description": "Playlist only."
          }
        }
      },
      "AdCampaign": {
        "type": "object",
        "required": [
          "id",
          "advertiser",
          "name",
          "creative",
          "topics",
          "contextTopics",
          "bidCPM",
          "dailyBudget",
          "frequencyCap",
          "status",
          "createdAt",
          "owner"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "advertiser": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "creative": {
            "type": "object",
            "required": [
              "headline",
              "url"
            ],
            "properties": {
              "headline": {
                "type": "string",
                "maxLength": 200
              },
              "body": {
                "type": "string"
              },
              "url": {
                "type": "string",
                "description": "An http or https address."
              }
            }
          },
          "topics": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Interest topics the audience must all hold; the audience must reach at least the k-anonymity minimum."
          },
          "contextTopics": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Topics of the page or item being viewed the ad fits."
          },
          "bidCPM": {
            "type": "number",
            "description": "Price per thousand impressions."
          },
          "dailyBudget": {
            "type": "number",
            "description": "Spend per day (UTC), paced evenly."
          },
          "frequencyCap": {
            "type": "integer",
            "description": "Most impressions per person per day."
          },
          "status": {
            "type": "string",
            "enum": [
              "active",
              "paused",
              "ended"
            ]
          },
          "createdAt": {
            "type": "integer"
          },
          "owner": {
            "type": "string",
            "description": "The id of the API key that created it: only that key (or an admin key) lists it, changes it and reads its reports."
          }
        }
      },
      "AdCampaignRequest": {
        "type": "object",
        "required": [
          "advertiser",
          "name",
          "creative",
          "bidCPM",
          "dailyBudget"
        ],
        "properties": {
          "advertiser": {
            "type": "string",
            "maxLength": 100
          },
          "name": {
            "type": "string",
            "maxLength": 200
          },
          "creative": {
            "type": "object",
            "required": [
              "headline",
              "url"
            ],
            "properties": {
              "headline": {
                "type": "string",
                "maxLength": 200
              },
              "body": {
                "type": "string"
              },
              "url": {
                "type": "string",
                "description": "An http or https address."
              }
            }
          },
          "topics": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "contextTopics": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "bidCPM": {
            "type": "number",
            "exclusiveMinimum": 0
          },
          "dailyBudget": {
            "type": "number",
            "exclusiveMinimum": 0
          },
          "frequencyCap": {
            "type": "integer",
            "minimum": 1,
            "default": 3
          }
        }
      },
      "Ads": {
        "type": "object",
        "required": [
          "ads",
          "basis"
        ],
        "properties": {
          "basis": {
            "type": "string",
            "enum": [
              "interests",
              "context"
            ],
            "description": "`interests` when the person's interest topics chose an ad; `context` when the page alone did."
          },
          "ads": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "campaign",
                "advertiser",
                "creative",
                "reason",
                "personal",
                "impression"
              ],
              "properties": {
                "campaign": {
                  "type": "string"
                },
                "advertiser": {
                  "type": "string"
                },
                "creative": {
                  "type": "object",
                  "required": [
                    "headline",
                    "url"
                  ],
                  "properties": {
                    "headline": {
                      "type": "string",
                      "maxLength": 200
                    },
                    "body": {
                      "type": "string"
                    },
                    "url": {
                      "type": "string",
                      "description": "An http or https address."
                    }
                  }
                },
                "reason": {
                  "type": "string",
                  "description": "\"shown because you are interested in TOPIC\" or \"shown because of this page\"."
                },
                "personal": {
                  "type": "boolean"
                },
                "impression": {
                  "type": "string",
                  "description": "Name it to report a click or a conversion; it names no person."
                }
              }
            }
          }
        }
      },
      "AdReport": {
        "type": "object",
        "required": [
          "campaign",
          "epsilon",
          "mechanism",
          "minimumCount",
          "metrics"
        ],
        "properties": {
          "campaign": {
            "type": "string"
          },
          "epsilon": {
            "type": "number"
          },
          "mechanism": {
            "type": "string"
          },
          "minimumCount": {
            "type": "integer"
          },
          "metrics": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "suppressed",
                "contributionCap",
                "noiseScale"
              ],
              "properties": {
                "name": {
                  "type": "string",
                  "enum": [
                    "impressions",
                    "clicks",
                    "conversions"
                  ]
                },
                "value": {
                  "type": [
                    "integer",
                    "null"
                  ],
                  "description": "The noisy count; null when suppressed."
                },
                "suppressed": {
                  "type": "boolean"
                },
                "contributionCap": {
                  "type": "integer"
                },
                "noiseScale": {
                  "type": "number"
                }
              }
            }
          }
        }
      },
      "AdEventRequest": {
        "type": "object",
        "required": [
          "impression"
        ],
        "properties": {
          "impression": {
            "type": "string",
            "description": "The token the ad came with."
          }
        }
      },
      "AdEventRecorded": {
        "type": "object",
        "properties": {
          "recorded": {
            "type": "string",
            "enum": [
              "click",
              "conversion"
            ]
          }
        }
      }
    }
  }
}
"""##
}
