#!/usr/bin/env python3
"""The privacy center and the operator console in a real browser (headless Chromium driven by selenium).

A person signs in with their link, toggles a consent and sees their recommendations change, downloads
their data, deletes it and checks it is gone; an operator sees the alert a simulated scrape raised and
suspends the scraping key. A screenshot of every page goes to SCREENSHOTS (default ./browser-screenshots).

    python3 Tests/Browser/web_pages.py --tact .build/debug/tact [--screenshots DIR] [--port 18765]

Exits non-zero, naming the step, when anything is not as it should be.
"""
import argparse, json, os, subprocess, sys, tempfile, time, urllib.request, urllib.error

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def fail(step, why):
    print(f"FAILED at '{step}': {why}", file=sys.stderr)
    sys.exit(1)


def check(step, condition, why):
    if not condition:
        fail(step, why)
    print(f"ok  {step}")


def api(base, method, path, key=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    if key:
        request.add_header("Authorization", "Bearer " + key)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def wait_for(condition, seconds=30):
    """Polls `condition` (a page may still be loading after a click) until it holds or time runs out."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


def axe_source():
    """axe-core (the accessibility rules engine), as the axe-selenium-python package from PyPI ships it."""
    import axe_selenium_python
    path = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
    return open(path).read()


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa"]}})
  .then(function (r) { done(r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes.length ? String(v.nodes[0].target) : ""}; })); })
  .catch(function (e) { done([{id: "axe-error", impact: "critical", help: String(e), nodes: 0, target: ""}]); });
"""


def create_key(tact, data, name, scopes):
    out = subprocess.run([tact, "keys", "create", "--data", data, "--name", name, "--scopes", scopes, "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tact", required=True)
    parser.add_argument("--screenshots", default="browser-screenshots")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    work = tempfile.mkdtemp(prefix="tact-browser-")
    data, downloads = os.path.join(work, "data"), os.path.join(work, "downloads")
    os.makedirs(downloads)
    base = f"http://127.0.0.1:{args.port}"

    # A synthetic installation, keys for a service, an operator and a scraper, and the server.
    subprocess.run([args.tact, "demo", "--data", data, "--users", "300", "--items", "80", "--interactions", "9000"],
                   check=True, capture_output=True)
    service = create_key(args.tact, data, "web-service", "subjects")
    operator = create_key(args.tact, data, "operator", "admin")
    scraper = create_key(args.tact, data, "scraper", "recommend")
    ingest = create_key(args.tact, data, "app", "ingest")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([args.tact, "serve", "--data", data, "--port", str(args.port), "--guard-high", "alert", "--guard-decisive", "alert", "--retrain-after", "100",
                               "--cache-seconds", "0"], stdout=log, stderr=subprocess.STDOUT)
    shots = []
    try:
        for _ in range(600):
            try:
                if api(base, "GET", "/health/ready")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            fail("server start", "the server did not answer /health/ready")

        def new_browser(javascript=True):
            options = Options()
            options.binary_location = "/usr/bin/chromium"
            for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"]:
                options.add_argument(flag)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
            prefs = {"download.default_directory": downloads, "download.prompt_for_download": False}
            if not javascript:
                prefs["profile.managed_default_content_settings.javascript"] = 2
            options.add_experimental_option("prefs", prefs)
            return webdriver.Chrome(service=Service(args.chromedriver), options=options)

        browser = new_browser()
        browser.set_script_timeout(60)
        browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
        logs_seen = []
        axe = axe_source()
        accessibility = {}

        def shot(name):
            path = os.path.join(args.screenshots, f"{len(shots) + 1:02d}-{name}.png")
            height = browser.execute_script("return document.body.scrollHeight")
            browser.set_window_size(1280, max(900, min(height + 40, 6000)))
            browser.save_screenshot(path)
            shots.append(path)
            # WCAG 2.0 A and AA (and 2.1 AA) rules on every page (axe-core); a serious or critical violation fails the run.
            browser.execute_script(axe)
            violations = browser.execute_async_script(AXE_RUN)
            accessibility[name] = [f"{v['id']} ({v['impact']}, {v['nodes']} nodes)" for v in violations]
            bad = [v for v in violations if v["impact"] in ("serious", "critical")]
            if bad:
                fail(name, "accessibility: " + "; ".join(f"{v['id']}: {v['help']} at {v['target']}" for v in bad))
            # Any Content-Security-Policy violation or script error shows in the console log.
            for entry in browser.get_log("browser"):
                logs_seen.append(entry)
                message = entry.get("message", "")
                if "Content Security Policy" in message or "Uncaught" in message or "Refused to" in message:
                    fail(name, "the browser reported: " + message)

        def text():
            return browser.find_element(By.TAG_NAME, "main").text

        # --- The person ---
        status, token = api(base, "POST", "/v1/people/u1/tokens", service["key"])
        check("person token", status == 201, f"POST /v1/people/u1/tokens answered {status}")
        browser.get(base + "/privacy")
        shot("privacy-signed-out")
        check("signed out page", "personal link" in text(), "the signed-out page does not say how to sign in")
        browser.get(base + "/privacy/signin?token=" + token["token"])
        check("sign in", browser.current_url == base + "/privacy", f"landed on {browser.current_url}")
        check("token leaves the address", "token=" not in browser.current_url, "the token stayed in the address bar")
        shot("privacy-overview")
        events = int(browser.find_element(By.CSS_SELECTOR, "[data-testid=count-interactions]").text)
        check("what is kept", events > 0, "the page shows no activity for u1")
        recs = browser.find_element(By.CSS_SELECTOR, "[data-testid=recommendations]")
        check("personalized", recs.get_attribute("data-personalized") == "true", "u1's recommendations are not personalized")
        before = [e.text for e in recs.find_elements(By.CSS_SELECTOR, ".title")]
        browser.find_element(By.CSS_SELECTOR, ".recs details summary").click()
        shot("privacy-why")
        check("why am I seeing this", "weighed most" in text() or "favourites" in text(), "no reason is shown")
        # Keyboard: the first Tab reaches the skip link, and the controls are reachable in order.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        first = browser.switch_to.active_element
        check("keyboard: skip link first", first.get_attribute("class") == "skip" and first.is_displayed(),
              f"the first Tab reached <{first.tag_name} class={first.get_attribute('class')}>")
        reached = set()
        for _ in range(40):
            browser.switch_to.active_element.send_keys(Keys.TAB)
            reached.add(browser.switch_to.active_element.get_attribute("id") or "")
        check("keyboard: consent boxes and download reachable", {"purpose-personalization", "purpose-model-training", "download", "delete-link"} <= reached,
              f"Tab reached only {sorted(r for r in reached if r)}")
        # The consent checkbox's label names it.
        box = browser.find_element(By.ID, "purpose-personalization")
        label = browser.find_element(By.CSS_SELECTOR, "label[for=purpose-personalization]")
        check("labelled control", label.text.strip() != "" and box.is_selected(), "the personalization checkbox is unlabelled or unticked")
        box.send_keys(Keys.SPACE)  # the page's script submits the form at once
        wait_for(lambda: "done=consent" in browser.current_url and "Your choices are saved" in text())
        check("consent saved", "Your choices are saved" in text(), "no confirmation after turning personalization off")
        shot("privacy-personalization-off")
        recs = browser.find_element(By.CSS_SELECTOR, "[data-testid=recommendations]")
        after = [e.text for e in recs.find_elements(By.CSS_SELECTOR, ".title")]
        check("recommendations change", recs.get_attribute("data-personalized") == "false" and after != before,
              f"still personalized, or the same list ({before[:3]} / {after[:3]})")
        status, consent = api(base, "GET", "/v1/people/u1/consent", service["key"])
        permitted = {p["purpose"]: p["permitted"] for p in consent.get("purposes", [])}
        check("consent through the API", permitted.get("personalization") is False, f"the API says {permitted}")
        browser.find_element(By.ID, "purpose-personalization").send_keys(Keys.SPACE)
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-testid=recommendations][data-personalized=true]"))
        check("personalization back on", browser.find_elements(By.CSS_SELECTOR, "[data-testid=recommendations][data-personalized=true]"),
              "turning personalization on again did not bring personalized recommendations back")

        browser.find_element(By.ID, "download").click()
        export = None
        # Chromium reserves the file's name empty, writes NAME.crdownload and renames it when done:
        # wait until the file parses.
        for _ in range(300):
            names = [n for n in os.listdir(downloads) if n.endswith(".json")]
            if names and not any(n.endswith(".crdownload") for n in os.listdir(downloads)):
                try:
                    export = json.load(open(os.path.join(downloads, names[0])))
                    break
                except ValueError:
                    pass
            time.sleep(0.1)
        check("download my data", export is not None and len(export.get("interactions", [])) == events,
              f"no export downloaded, or not {events} interactions in it")

        browser.get(base + "/privacy/policy")
        shot("privacy-policy")
        check("policy with versions", "Versions of this policy" in text(), "the policy page lacks its version history")

        browser.get(base + "/privacy")
        browser.find_element(By.ID, "delete-link").click()
        wait_for(lambda: browser.find_elements(By.ID, "confirm-delete"))
        shot("privacy-delete-confirm")
        button = browser.find_element(By.ID, "confirm-delete")
        check("delete waits for the word", not button.is_enabled(), "the delete button is enabled before the word is typed")
        browser.find_element(By.ID, "confirm-word").send_keys("delete")
        button.click()
        wait_for(lambda: "Receipt for request" in text())
        shot("privacy-delete-receipt")
        check("receipt", "Receipt for request" in text() and browser.find_element(By.CSS_SELECTOR, "[data-testid=erased-interactions]").text == str(events),
              "no receipt, or it does not count the events erased")
        status, export = api(base, "GET", "/v1/people/u1/export", operator["key"])
        status, consent = api(base, "GET", "/v1/people/u1/consent", service["key"])
        check("data is gone (API)", status == 404, f"the consent of u1 is still stored (status {status})")
        browser.get(base + "/privacy/signin?token=" + token["token"])
        check("data is gone (page)", "We keep nothing about you" in text()
              and browser.find_element(By.CSS_SELECTOR, "[data-testid=count-interactions]").text == "0", "the page still shows data")
        shot("privacy-after-deletion")

        # --- Another person, with JavaScript turned off: every core action still works ---
        plain = new_browser(javascript=False)
        status, token5 = api(base, "POST", "/v1/people/u5/tokens", service["key"])
        plain.get(base + "/privacy/signin?token=" + token5["token"])
        save = plain.find_element(By.CSS_SELECTOR, "form.consent button[type=submit]")
        check("no script: a save button", save.is_displayed(), "without JavaScript, 'Save my choices' is not shown")
        plain.find_element(By.ID, "purpose-personalization").click()
        save.click()
        wait_for(lambda: "done=consent" in plain.current_url)
        check("no script: consent saved", plain.find_elements(By.CSS_SELECTOR, "[data-testid=recommendations][data-personalized=false]"),
              "without JavaScript, turning personalization off did not take effect")
        plain.save_screenshot(os.path.join(args.screenshots, f"{len(shots) + 1:02d}-privacy-no-script.png"))
        shots.append(os.path.join(args.screenshots, f"{len(shots) + 1:02d}-privacy-no-script.png"))
        plain.get(base + "/privacy/delete")
        plain.find_element(By.ID, "confirm-word").send_keys("delete")
        plain.find_element(By.ID, "confirm-delete").click()
        wait_for(lambda: "Receipt for request" in plain.find_element(By.TAG_NAME, "main").text)
        check("no script: deletion", "Receipt for request" in plain.find_element(By.TAG_NAME, "main").text,
              "without JavaScript, deletion gave no receipt")
        plain.quit()

        # --- The scrape ---
        refused = 0
        for i in range(2, 140):
            status, _ = api(base, "GET", f"/v1/people/u{i}/recommendations?k=5", scraper["key"])
            refused += status != 200
        alerts = []
        for _ in range(100):
            _, body = api(base, "GET", "/v1/guard/alerts", operator["key"])
            alerts = [a for a in body.get("alerts", []) if a.get("principal") == "key:" + scraper["id"]]
            if alerts:
                break
            time.sleep(0.1)
        check("the scrape raised an alert", alerts, "the Guard raised no alert for the scraping key")

        # --- New events: the server retrains, and the console shows both models and the ingestion ---
        events_sent = [{"user": f"u{i}", "item": f"i{(i * 7 + j) % 80}", "kind": "play"} for i in range(40, 80) for j in range(5)]
        status, report = api(base, "POST", "/v1/events", ingest["key"], {"events": events_sent})
        check("ingestion", status == 200 and report.get("accepted", report.get("stored", 0)) > 100, f"POST /v1/events answered {status} {report}")
        # With no model flag the retraining searches first (docs/model-search.md): in a debug build, up to a minute.
        for _ in range(1200):
            metrics = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
            if any(line.startswith("tact_model_retrainings_total") and not line.endswith(" 0") for line in metrics.splitlines()):
                break
            time.sleep(0.1)
        else:
            fail("retraining", "the server did not retrain after the new events")

        # --- The operator ---
        browser.get(base + "/console")
        shot("console-signed-out")
        browser.get(base + "/console/signin")
        shot("console-signin")
        browser.find_element(By.ID, "key").send_keys(operator["key"])
        browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
        wait_for(lambda: browser.current_url == base + "/console")
        check("operator signed in", browser.current_url == base + "/console", f"landed on {browser.current_url}: {text()[:300]}")
        check("model quality chart", browser.find_elements(By.CSS_SELECTOR, "figure.chart svg") and "NDCG@10" in text(),
              "no model quality chart")
        shot("console-overview")
        browser.get(base + "/console/privacy")
        check("consent, budget, requests", "Consent rates per purpose" in text() and "erasure" in text(),
              "the privacy page lacks consent rates or the erasure request")
        shot("console-privacy")
        browser.get(base + "/console/security")
        rows = browser.find_element(By.CSS_SELECTOR, "[data-testid=alerts]").text
        check("operator sees the alert", "key:" + scraper["id"] in rows, "the alert of the scraping key is not listed")
        shot("console-security-alert")
        browser.find_element(By.ID, "verify-audit").click()
        wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "[data-testid=audit-result]"))
        check("audit verified", "Verified just now" in browser.find_element(By.CSS_SELECTOR, "[data-testid=audit-result]").text,
              "the audit chain did not verify")
        # Suspend straight from the alert's row.
        browser.find_element(By.CSS_SELECTOR, f"button[id^='alert-suspend-{scraper['id']}-']").click()
        wait_for(lambda: "done=suspended" in browser.current_url)
        status_text = browser.find_element(By.CSS_SELECTOR, f"[data-testid=key-status-{scraper['id']}]").text
        check("key suspended (page)", status_text.startswith("suspended"), f"the key's status is '{status_text}'")
        shot("console-key-suspended")
        status, _ = api(base, "GET", "/v1/people/u3/recommendations?k=5", scraper["key"])
        check("key suspended (API)", status == 401, f"the scraping key still gets {status}")
        browser.quit()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(json.dumps({"browser_test": "passed", "screenshots": shots, "accessibility_violations": accessibility}))


if __name__ == "__main__":
    main()
