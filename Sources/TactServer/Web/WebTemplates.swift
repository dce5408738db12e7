import Mustache

/// The pages' Mustache templates. `{{x}}` is HTML-escaped; `{{{x}}}` is used only for SVG charts and
/// policy sections the server draws itself, with every text in them escaped.
enum WebTemplates {
    /// Parsed once; a template that fails to parse is a defect the web tests catch.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in all {
            do { try library.register(text, named: name) } catch { preconditionFailure("template \(name) does not parse: \(error)") }
        }
        return library
    }()

    static let all: [String: String] = [
        "top": top, "bottom": bottom, "error": error,
        "privacy-signin": privacySignIn, "privacy-home": privacyHome, "privacy-delete": privacyDelete,
        "privacy-receipt": privacyReceipt, "privacy-policy": privacyPolicy,
        "console-signin": consoleSignIn, "console-overview": consoleOverview, "console-privacy": consolePrivacy,
        "console-security": consoleSecurity,
    ]

    static let top = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · {{site}}</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/assets/tact.css">
        <script src="/assets/tact.js" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to the content</a>
        <header class="bar">
        <div class="wrap bar-inner">
        <span class="brand">{{site}}</span>
        {{^empty(nav)}}<nav aria-label="Sections"><ul class="tabs">{{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>{{/empty(nav)}}
        {{#signOut}}<form method="post" action="{{signOut}}" class="signout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="quiet">Sign out</button></form>{{/signOut}}
        </div>
        </header>
        <main id="main" class="wrap">
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        """

    static let bottom = """
        </main>
        <footer class="wrap foot"><p>{{footer}}</p></footer>
        </body>
        </html>
        """

    static let error = """
        {{> top}}
        <h1>{{heading}}</h1>
        <p class="problem" role="alert">{{detail}}</p>
        {{#next}}<p><a href="{{href}}">{{label}}</a></p>{{/next}}
        {{> bottom}}
        """

    // MARK: Privacy center

    static let privacySignIn = """
        {{> top}}
        <h1>Your privacy center</h1>
        <p>To see what we keep about you and change your choices, open the personal link the service gave you.
        It signs you in on this browser for {{minutes}} minutes. If your link has expired, ask the service for a new one.</p>
        <p>The privacy policy is public: <a href="/privacy/policy">read it here</a>.</p>
        {{> bottom}}
        """

    static let privacyHome = """
        {{> top}}
        <h1>Your privacy center</h1>
        <p class="lead">{{summary}}</p>

        <section aria-labelledby="kept">
        <h2 id="kept">What we keep about you, and why</h2>
        <table class="data">
        <caption>Everything stored under your pseudonym (your own id is never stored)</caption>
        <thead><tr><th scope="col">What</th><th scope="col" class="num">How much</th><th scope="col">Why we keep it</th></tr></thead>
        <tbody>
        {{#categories}}<tr><th scope="row">{{name}}</th><td class="num" data-testid="count-{{id}}">{{count}}</td><td>{{why}}</td></tr>
        {{/categories}}
        </tbody>
        </table>
        <h3>What we infer from it</h3>
        {{^empty(interests)}}<ul class="bars" aria-label="Your interests">{{#interests}}<li><span class="bar-label">{{name}}</span> <meter min="0" max="100" value="{{percent}}" aria-label="{{name}}: {{percent}}%">{{percent}}%</meter> <span class="num">{{percent}}%</span></li>{{/interests}}</ul>{{/empty(interests)}}
        {{#empty(interests)}}<p>Nothing: we hold no activity we could infer interests from.</p>{{/empty(interests)}}
        {{#adTopics}}<p data-testid="ad-topics">For advertising, as you allowed, your topics of the last weeks are: <strong>{{adTopics}}</strong>. Each week one in twenty is replaced by a random topic, so none of them proves an interest.</p>{{/adTopics}}
        </section>

        <section aria-labelledby="choices">
        <h2 id="choices">Your choices</h2>
        <p>{{modeText}} A change takes effect at once: turning off model training also removes you from the trained model.</p>
        <form method="post" action="/privacy/consent" class="consent" data-autosubmit>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset>
        <legend>Purposes you allow</legend>
        {{#purposes}}
        <div class="purpose">
        <input type="hidden" name="shown" value="{{id}}">
        <input type="checkbox" id="purpose-{{id}}" name="allow" value="{{id}}"{{#permitted}} checked{{/permitted}}{{#locked}} disabled{{/locked}} aria-describedby="purpose-{{id}}-why">
        <label for="purpose-{{id}}">{{name}}</label> <span class="state" data-testid="state-{{id}}">{{stateText}}</span>
        <p id="purpose-{{id}}-why" class="why">{{why}}</p>
        </div>
        {{/purposes}}
        </fieldset>
        <button type="submit" class="js-hide">Save my choices</button>
        </form>
        </section>

        <section aria-labelledby="recs">
        <h2 id="recs">Your recommendations</h2>
        <p>{{recommendationsText}}</p>
        <ol class="recs" data-testid="recommendations" data-personalized="{{personalized}}">
        {{#recommendations}}
        <li><span class="title">{{title}}</span>
        <details><summary>Why am I seeing this?</summary><p>{{why}}</p>
        {{^empty(because)}}<ul>{{#because}}<li>{{title}} ({{percent}}% of the reason)</li>{{/because}}</ul>{{/empty(because)}}
        </details></li>
        {{/recommendations}}
        </ol>
        </section>

        <section aria-labelledby="yourdata">
        <h2 id="yourdata">Your data</h2>
        <form method="post" action="/privacy/export" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="download">Download my data</button>
        </form>
        <span class="hint">A JSON file with everything listed above, your consent history, the reasons behind your recommendations and who read your data.</span>
        <p><a class="button danger" href="/privacy/delete" id="delete-link">Delete my data…</a></p>
        </section>

        <section aria-labelledby="requests">
        <h2 id="requests">Your requests</h2>
        {{^empty(requests)}}
        <table class="data">
        <thead><tr><th scope="col">Request</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Received</th><th scope="col">Answer due by</th></tr></thead>
        <tbody>{{#requests}}<tr><td>#{{id}}</td><td>{{kind}}</td><td>{{status}}</td><td>{{received}}</td><td>{{due}}</td></tr>{{/requests}}</tbody>
        </table>
        {{/empty(requests)}}
        {{#empty(requests)}}<p>You have made no requests yet.</p>{{/empty(requests)}}
        </section>

        <p><a href="/privacy/policy">The privacy policy, and how it changed</a></p>
        {{> bottom}}
        """

    static let privacyDelete = """
        {{> top}}
        <h1>Delete my data</h1>
        <p>This erases everything we keep about you: {{what}}. Your key is destroyed, so any copy in a backup becomes
        unreadable, and you are removed from the trained model. It cannot be undone.</p>
        <p>Only the record that you asked, under a reference that is not your id, is kept: we must be able to show that we did it.</p>
        <form method="post" action="/privacy/delete" class="confirm" data-confirm-word="delete">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="confirm-word">Type <strong>delete</strong> to confirm</label>
        <input type="text" id="confirm-word" name="confirm" autocomplete="off" required aria-describedby="confirm-hint">
        <p id="confirm-hint" class="hint">This protects you from deleting by accident.</p>
        <button type="submit" class="danger" id="confirm-delete">Delete everything</button>
        <a href="/privacy">Keep my data</a>
        </form>
        {{> bottom}}
        """

    static let privacyReceipt = """
        {{> top}}
        <h1>Your data is deleted</h1>
        <p role="status">Receipt for request <strong data-testid="receipt-request">#{{requestID}}</strong>, completed {{completed}} (UTC).</p>
        <table class="data">
        <caption>What was erased</caption>
        <tbody>
        <tr><th scope="row">Activity events</th><td class="num" data-testid="erased-interactions">{{interactions}}</td></tr>
        <tr><th scope="row">Consent records</th><td class="num">{{consentRecords}}</td></tr>
        <tr><th scope="row">Your encryption key</th><td>{{keyShredded}}</td></tr>
        <tr><th scope="row">The trained model</th><td>{{model}}</td></tr>
        </tbody>
        </table>
        <p>Keep this page if you want proof: quote request #{{requestID}} to {{contact}}. You are now signed out.</p>
        {{> bottom}}
        """

    static let privacyPolicy = """
        {{> top}}
        <h1>Privacy policy</h1>
        {{{policy}}}
        {{> bottom}}
        """

    // MARK: Operator console

    static let consoleSignIn = """
        {{> top}}
        <h1>Operator console</h1>
        <p>Sign in with an API key that has the <code>admin</code> scope. The key is checked and never stored in the
        browser: you get a session of {{minutes}} minutes, which ends at once if the key is revoked or suspended.</p>
        <form method="post" action="/console/signin" class="stack">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="key">API key</label>
        <input type="password" id="key" name="key" autocomplete="current-password" required>
        <button type="submit">Sign in</button>
        </form>
        {{> bottom}}
        """

    static let consoleOverview = """
        {{> top}}
        <h1>Models and traffic</h1>
        <section aria-labelledby="quality">
        <h2 id="quality">Model quality over time</h2>
        <p>Each training is scored on 20% of each person's items it did not see, beside everyone's favourites on the same split.</p>
        {{#qualityWarning}}<p class="problem" role="status" data-testid="quality-warning">{{qualityWarning}}</p>{{/qualityWarning}}
        {{#qualityChart}}<figure class="chart">{{{qualityChart}}}<figcaption>NDCG@{{k}} of each model and of popularity.</figcaption></figure>{{/qualityChart}}
        {{^empty(evaluations)}}
        <table class="data">
        <thead><tr><th scope="col">Model</th><th scope="col">Trained</th><th scope="col" class="num">NDCG@{{k}}</th><th scope="col" class="num">Popularity</th><th scope="col" class="num">Recall@{{k}}</th><th scope="col" class="num">People</th><th scope="col" class="num">Training</th></tr></thead>
        <tbody>{{#evaluations}}<tr><td>{{algorithm}} v{{version}}</td><td>{{at}}</td><td class="num">{{ndcg}}</td><td class="num">{{baseline}}</td><td class="num">{{recall}}</td><td class="num">{{people}}</td><td class="num">{{seconds}} s</td></tr>{{/evaluations}}</tbody>
        </table>
        {{/empty(evaluations)}}
        {{#empty(evaluations)}}<p>No evaluated training yet: the first one appears after the server trains.</p>{{/empty(evaluations)}}
        <p>In service: {{model}}.</p>
        </section>
        <section aria-labelledby="ingestion">
        <h2 id="ingestion">Ingestion</h2>
        <p>{{ingestionText}}</p>
        <figure class="chart">{{{ingestionChart}}}<figcaption>Events accepted and refused per minute over the last hour, on this server.</figcaption></figure>
        </section>
        <section aria-labelledby="latency">
        <h2 id="latency">Latency</h2>
        {{^empty(latencies)}}
        <table class="data">
        <thead><tr><th scope="col">Route</th><th scope="col" class="num">Requests</th><th scope="col" class="num">p50</th><th scope="col" class="num">p99</th></tr></thead>
        <tbody>{{#latencies}}<tr><td><code>{{route}}</code></td><td class="num">{{requests}}</td><td class="num">{{p50}} ms</td><td class="num">{{p99}} ms</td></tr>{{/latencies}}</tbody>
        </table>
        <p class="hint">From each route's latest {{window}} requests on this server; /metrics has the full histograms.</p>
        {{/empty(latencies)}}
        {{#empty(latencies)}}<p>No request yet.</p>{{/empty(latencies)}}
        </section>
        {{> bottom}}
        """

    static let consolePrivacy = """
        {{> top}}
        <h1>Consent, budget and requests</h1>
        <section aria-labelledby="consent">
        <h2 id="consent">Consent rates per purpose</h2>
        <p>Over the {{people}} people stored. Consent mode: {{mode}}.</p>
        <figure class="chart">{{{consentChart}}}<figcaption>Share of people for whom each purpose is permitted now.</figcaption></figure>
        <table class="data">
        <thead><tr><th scope="col">Purpose</th><th scope="col" class="num">Permitted</th><th scope="col" class="num">Granted</th><th scope="col" class="num">Refused</th><th scope="col" class="num">No decision</th></tr></thead>
        <tbody>{{#consent}}<tr><td>{{purpose}}</td><td class="num">{{permitted}}%</td><td class="num">{{granted}}</td><td class="num">{{refused}}</td><td class="num">{{undecided}}</td></tr>{{/consent}}</tbody>
        </table>
        </section>
        <section aria-labelledby="budget">
        <h2 id="budget">Privacy budget spent per release</h2>
        {{^empty(releases)}}
        <figure class="chart">{{{budgetChart}}}<figcaption>ε of each differentially private release, and the running total.</figcaption></figure>
        <table class="data">
        <thead><tr><th scope="col">Release</th><th scope="col">Dataset</th><th scope="col">Mechanism</th><th scope="col" class="num">ε</th><th scope="col" class="num">δ</th><th scope="col">Recorded</th></tr></thead>
        <tbody>{{#releases}}<tr><td>{{release}}</td><td>{{dataset}}</td><td>{{mechanism}}</td><td class="num">{{epsilon}}</td><td class="num">{{delta}}</td><td>{{at}}</td></tr>{{/releases}}</tbody>
        </table>
        {{/empty(releases)}}
        {{#empty(releases)}}<p>No differentially private release yet: the ledger is empty.</p>{{/empty(releases)}}
        <p>{{budgetText}}</p>
        </section>
        <section aria-labelledby="dsr">
        <h2 id="dsr">Data-subject requests</h2>
        <p>{{requestsText}}</p>
        {{^empty(requests)}}
        <table class="data">
        <thead><tr><th scope="col">Request</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Received</th><th scope="col">Due</th><th scope="col">Deadline</th></tr></thead>
        <tbody>{{#requests}}<tr{{#overdue}} class="overdue"{{/overdue}}><td>#{{id}}</td><td>{{kind}}</td><td>{{status}}</td><td>{{received}}</td><td>{{due}}</td><td>{{deadline}}</td></tr>{{/requests}}</tbody>
        </table>
        {{/empty(requests)}}
        </section>
        {{> bottom}}
        """

    static let consoleSecurity = """
        {{> top}}
        <h1>Audit and Guard</h1>
        <section aria-labelledby="audit">
        <h2 id="audit">Audit chain</h2>
        <p>{{auditText}}</p>
        {{#verification}}<p class="{{verificationClass}}" role="status" data-testid="audit-result">{{verification}}</p>{{/verification}}
        <form method="post" action="/console/audit/verify" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="verify-audit">Verify the chain now</button>
        </form>
        </section>
        <section aria-labelledby="alerts">
        <h2 id="alerts">Guard alerts</h2>
        {{^empty(alerts)}}
        <table class="data" data-testid="alerts">
        <thead><tr><th scope="col">When</th><th scope="col">Severity</th><th scope="col">Kind</th><th scope="col">Caller</th><th scope="col">What the Guard saw</th><th scope="col">Done</th></tr></thead>
        <tbody>{{#alerts}}<tr class="sev-{{severity}}"><td>{{at}}</td><td>{{severity}}</td><td>{{kind}}</td><td><code>{{principal}}</code></td><td>{{explanation}}</td><td>{{action}}{{#canSuspendKey}}<form method="post" action="/console/keys/suspend" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="key" value="{{suspendKey}}"><button type="submit" class="danger" id="alert-suspend-{{suspendKey}}-{{id}}">Suspend this key</button></form>{{/canSuspendKey}}</td></tr>{{/alerts}}</tbody>
        </table>
        {{/empty(alerts)}}
        {{#empty(alerts)}}<p>No alert.</p>{{/empty(alerts)}}
        </section>
        <section aria-labelledby="keys">
        <h2 id="keys">API keys</h2>
        <table class="data" data-testid="keys">
        <thead><tr><th scope="col">Key</th><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Status</th><th scope="col">Action</th></tr></thead>
        <tbody>{{#keys}}<tr id="key-{{id}}"><td><code>{{id}}</code></td><td>{{name}}</td><td>{{scopes}}</td><td data-testid="key-status-{{id}}">{{status}}</td><td>
        {{#canSuspend}}<form method="post" action="/console/keys/suspend" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="key" value="{{id}}"><button type="submit" class="danger" id="suspend-{{id}}">Suspend {{id}}</button></form>{{/canSuspend}}
        {{#canReinstate}}<form method="post" action="/console/keys/reinstate" class="inline"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="key" value="{{id}}"><button type="submit" id="reinstate-{{id}}">Reinstate {{id}}</button></form>{{/canReinstate}}
        </td></tr>{{/keys}}</tbody>
        </table>
        </section>
        {{> bottom}}
        """
}
