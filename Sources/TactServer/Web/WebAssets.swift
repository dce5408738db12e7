import Hummingbird

/// The one style sheet and the one script the pages load (the Content-Security-Policy allows no other,
/// and nothing inline). Every core action works without the script: it only submits the consent form
/// when a box is ticked and enables the delete button once "delete" is typed.
enum WebAssets {
    static func register(on router: Router<TactRequestContext>) {
        router.get("/assets/tact.css") { _, _ in asset(css, type: "text/css; charset=utf-8") }
        router.get("/assets/tact.js") { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "public, max-age=3600"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Colours meet WCAG AA contrast (text #1b1b1b on white is 17:1; links #0b4f9c 8:1; the danger red #a4161a 7:1).
    static let css = """
        *{box-sizing:border-box}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fff}
        .wrap{max-width:64rem;margin:0 auto;padding:0 1rem}
        .skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
        .skip:focus{left:1rem;z-index:10}
        a{color:#0b4f9c}
        a:focus,button:focus,input:focus,summary:focus{outline:3px solid #f2a900;outline-offset:2px}
        .bar{background:#102a43;color:#fff}
        .bar-inner{display:flex;align-items:center;gap:1.5rem;flex-wrap:wrap;min-height:3.25rem}
        .brand{font-weight:700;letter-spacing:.02em}
        .tabs{display:flex;gap:1rem;list-style:none;margin:0;padding:0}
        .tabs a{color:#fff;text-decoration:none;padding:.9rem 0;display:inline-block;border-bottom:3px solid transparent}
        .tabs a[aria-current=page]{border-bottom-color:#f2a900}
        .signout{margin-left:auto}
        h1{font-size:1.75rem;margin:1.5rem 0 .5rem}
        h2{font-size:1.3rem;margin:2rem 0 .5rem;border-bottom:1px solid #d9e2ec;padding-bottom:.25rem}
        h3{font-size:1.05rem}
        .lead{font-size:1.1rem}
        .notice{background:#e3f8e8;border-left:4px solid #1f7a3a;padding:.6rem .9rem}
        .problem{background:#fde8e8;border-left:4px solid #a4161a;padding:.6rem .9rem}
        .ok{background:#e3f8e8;border-left:4px solid #1f7a3a;padding:.6rem .9rem}
        table.data{border-collapse:collapse;width:100%;margin:.75rem 0}
        table.data caption{text-align:left;color:#486581;font-size:.9rem;padding-bottom:.25rem}
        table.data th,table.data td{border-bottom:1px solid #d9e2ec;padding:.4rem .5rem;text-align:left;vertical-align:top}
        table.data thead th{background:#f0f4f8}
        .num{text-align:right;font-variant-numeric:tabular-nums}
        tr.overdue td{background:#fde8e8}
        tr.sev-high td,tr.sev-critical td{background:#fff4e5}
        button,.button{font:inherit;background:#0b4f9c;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
        button.quiet{background:transparent;border:1px solid #fff}
        .danger,button.danger{background:#a4161a;color:#fff}
        button:disabled{background:#829ab1;cursor:not-allowed}
        form.inline{display:inline}
        .stack{display:flex;flex-direction:column;gap:.5rem;max-width:28rem}
        input[type=text],input[type=password]{font:inherit;padding:.45rem;border:1px solid #627d98;border-radius:4px}
        fieldset{border:1px solid #d9e2ec;border-radius:4px;padding:.5rem 1rem}
        .purpose{padding:.5rem 0;border-bottom:1px solid #f0f4f8}
        .purpose label{font-weight:600}
        .purpose input[type=checkbox]{width:1.2rem;height:1.2rem;vertical-align:middle}
        .state{color:#486581;font-size:.9rem}
        .why,.hint{color:#334e68;font-size:.92rem;margin:.2rem 0 0}
        .bars{list-style:none;padding:0}
        .bars li{display:flex;gap:.75rem;align-items:center;margin:.2rem 0}
        .bar-label{min-width:9rem}
        meter{width:14rem;height:1rem}
        .recs li{margin:.35rem 0}
        .recs .title{font-weight:600}
        details summary{color:#0b4f9c;cursor:pointer;font-size:.92rem}
        figure.chart{margin:1rem 0;overflow-x:auto}
        figure.chart svg{max-width:100%;height:auto}
        figcaption{color:#486581;font-size:.9rem}
        .foot{color:#486581;font-size:.85rem;margin-top:3rem;border-top:1px solid #d9e2ec;padding-top:.5rem}
        code{font-size:.9em}
        .js .js-hide{display:none}
        """

    static let script = """
        "use strict";
        document.documentElement.classList.add("js");
        document.addEventListener("DOMContentLoaded", function () {
          // Consent: a ticked or cleared box takes effect at once (without the script, "Save my choices" does it).
          document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
            form.addEventListener("change", function (event) {
              if (event.target.type === "checkbox") { form.requestSubmit ? form.requestSubmit() : form.submit(); }
            });
          });
          // Deletion: the button waits for the confirming word (the server checks it too).
          document.querySelectorAll("form[data-confirm-word]").forEach(function (form) {
            var word = form.getAttribute("data-confirm-word");
            var input = form.querySelector("input[name=confirm]");
            var button = form.querySelector("button[type=submit]");
            var update = function () { button.disabled = input.value.trim().toLowerCase() !== word; };
            input.addEventListener("input", update);
            update();
          });
        });
        """
}
