/*
 * Tilskudsassistenten – embeddable chat widget. One tag on any page:
 *   <script src="https://<host>/widget.js" data-pool="saerligsoc-2025" defer></script>
 * Optional: data-title="…" (button text). Styles live in a Shadow DOM so the host page and the widget
 * cannot restyle each other. All question and answer text is put in the DOM with textContent, never as
 * HTML. No build step and no secret: the widget only calls the public API.
 */
(function () {
  "use strict";

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1];
  })();
  if (!script) return;
  // Every URL (API calls and source links) is absolute and derived from where this file was loaded from.
  var base = new URL(".", new URL(script.src, document.baseURI)).href;
  var pool = script.getAttribute("data-pool") || null;
  var title = script.getAttribute("data-title") || "Spørg om puljen";
  var sessionId = null;
  var counter = 0;

  var CSS = [
    ":host { all: initial; }",
    "* { box-sizing: border-box; }",
    ".wrap { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d2330; }",
    "button { font: inherit; cursor: pointer; }",
    "button:focus-visible, textarea:focus-visible, a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }",
    ".launcher { background: #0b5cad; color: #fff; border: 0; border-radius: 999px; padding: 12px 18px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }",
    ".panel { position: fixed; right: 16px; bottom: 76px; width: 380px; max-width: calc(100vw - 32px); height: 560px; max-height: calc(100vh - 100px); background: #fff; border: 1px solid #c9ced6; border-radius: 12px; box-shadow: 0 10px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }",
    ".panel[hidden] { display: none; }",
    ".head { display: flex; align-items: center; gap: 8px; background: #102a43; color: #fff; padding: 10px 12px; }",
    ".head h2 { font-size: 17px; margin: 0; flex: 1; }",
    ".close { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.5); border-radius: 6px; padding: 2px 10px; }",
    ".note { font-size: 13px; color: #4b5563; background: #f5f7fa; margin: 0; padding: 8px 12px; border-bottom: 1px solid #e5e7eb; }",
    ".log { flex: 1; overflow-y: auto; padding: 12px; }",
    ".msg { margin: 0 0 12px; padding: 8px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".user { background: #e8f0fb; margin-left: 32px; }",
    ".bot { background: #f5f7fa; margin-right: 16px; }",
    ".who { display: block; font-size: 12px; font-weight: 700; color: #4b5563; }",
    ".sources { margin: 8px 0 0; padding-left: 20px; font-size: 14px; white-space: normal; }",
    ".sources li { margin-bottom: 6px; }",
    ".sources a { color: #0b5cad; }",
    ".quote { display: block; color: #4b5563; font-size: 13px; }",
    ".fact { background: #fff1a8; padding: 0 3px; }",
    ".vote { display: flex; gap: 6px; align-items: center; font-size: 13px; margin-top: 6px; white-space: normal; }",
    ".vote button { background: #fff; border: 1px solid #8a94a6; border-radius: 6px; padding: 2px 8px; }",
    "form { border-top: 1px solid #e5e7eb; padding: 8px 12px 12px; }",
    "label { display: block; font-weight: 600; font-size: 14px; margin-bottom: 4px; }",
    "textarea { width: 100%; min-height: 56px; max-height: 140px; font: inherit; padding: 6px 8px; border: 1px solid #8a94a6; border-radius: 6px; resize: vertical; }",
    ".send { margin-top: 6px; background: #0b5cad; color: #fff; border: 0; border-radius: 6px; padding: 6px 14px; }",
    ".send[disabled] { opacity: .6; cursor: wait; }",
    ".status { font-size: 13px; color: #4b5563; min-height: 1em; margin: 4px 0 0; }",
    ".error { color: #9b1c1c; }",
    ".sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    "@media (max-width: 480px) { .wrap { right: 8px; bottom: 8px; } .panel { right: 0; bottom: 0; width: 100vw; max-width: 100vw; height: 100%; max-height: 100%; border-radius: 0; } }"
  ].join("\n");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function mount() {
    var host = document.createElement("div");
    host.setAttribute("data-tilskudsassistent", "");
    document.body.appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    var style = el("style", CSS);
    root.appendChild(style);

    var id = "ta-" + Math.random().toString(36).slice(2, 8);
    var wrap = el("div", null, "wrap");
    var launcher = el("button", title, "launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", id + "-panel");

    var panel = el("section", null, "panel");
    panel.id = id + "-panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-labelledby", id + "-title");

    var head = el("div", null, "head");
    var h2 = el("h2", "Tilskudsassistenten");
    h2.id = id + "-title";
    var close = el("button", "Luk", "close");
    close.type = "button";
    close.setAttribute("aria-label", "Luk Tilskudsassistenten");
    head.appendChild(h2);
    head.appendChild(close);

    var note = el("p", "Jeg svarer kun ud fra de offentliggjorte vejledninger og henviser til kilden. " +
      "Skriv ikke CPR-nummer eller andre personoplysninger.", "note");
    var log = el("div", null, "log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", "Samtale");

    var form = el("form");
    var label = el("label", "Dit spørgsmål");
    label.htmlFor = id + "-q";
    var input = el("textarea");
    input.id = id + "-q";
    input.maxLength = 2000;
    input.required = true;
    input.setAttribute("aria-describedby", id + "-status");
    var send = el("button", "Send", "send");
    send.type = "submit";
    var status = el("p", "", "status");
    status.id = id + "-status";
    status.setAttribute("role", "status");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    form.appendChild(status);

    panel.appendChild(head);
    panel.appendChild(note);
    panel.appendChild(log);
    panel.appendChild(form);
    wrap.appendChild(panel);
    wrap.appendChild(launcher);
    root.appendChild(wrap);

    function open(show) {
      panel.hidden = !show;
      launcher.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) input.focus(); else launcher.focus();
    }
    launcher.addEventListener("click", function () { open(panel.hidden); });
    close.addEventListener("click", function () { open(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") open(false);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit(); else send.click();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = input.value.trim();
      if (!question || send.disabled) return;
      ask(question);
    });

    function bubble(role, text) {
      var box = el("div", null, "msg " + (role === "user" ? "user" : "bot"));
      box.appendChild(el("span", role === "user" ? "Dig" : "Assistenten", "who"));
      var body = el("span", text);
      box.appendChild(body);
      log.appendChild(box);
      log.scrollTop = log.scrollHeight;
      return { box: box, body: body };
    }

    function renderAnswer(target, answer) {
      target.body.textContent = answer.answer;
      if (answer.clarification) target.box.appendChild(el("span", "\n" + answer.clarification));
      if (answer.facts && answer.facts.length) {
        var facts = el("ul", null, "sources");
        facts.setAttribute("aria-label", "Fakta");
        answer.facts.forEach(function (f) {
          var li = el("li");
          li.appendChild(el("span", f.display, "fact"));
          facts.appendChild(li);
        });
        target.box.appendChild(facts);
      }
      if (answer.citations && answer.citations.length) {
        target.box.appendChild(el("span", "Kilder:", "who"));
        var list = el("ol", null, "sources");
        answer.citations.forEach(function (c) {
          var li = el("li");
          var a = el("a", c.label);
          a.href = new URL(c.url.replace(/^\//, ""), base).href;
          a.target = "_blank";
          a.rel = "noopener";
          li.appendChild(a);
          li.appendChild(el("span", "»" + c.quote + "«", "quote"));
          list.appendChild(li);
        });
        target.box.appendChild(list);
      }
      target.box.appendChild(voteRow(answer.answer_id));
      log.scrollTop = log.scrollHeight;
    }

    function voteRow(answerId) {
      var row = el("div", null, "vote");
      row.appendChild(el("span", "Hjalp svaret?"));
      var said = el("span", "");
      [["up", "👍 Ja", "Ja, svaret hjalp"], ["down", "👎 Nej", "Nej, svaret hjalp ikke"]].forEach(function (v) {
        var b = el("button", v[1]);
        b.type = "button";
        b.setAttribute("aria-label", v[2]);
        b.addEventListener("click", function () {
          post("api/feedback", { answer_id: answerId, vote: v[0] }).then(function (r) {
            said.textContent = r.ok ? "Tak for din vurdering." : "Vurderingen kunne ikke gemmes.";
            Array.prototype.forEach.call(row.querySelectorAll("button"), function (x) { x.disabled = true; });
          });
        });
        row.appendChild(b);
      });
      row.appendChild(said);
      return row;
    }

    function post(path, body, accept) {
      return fetch(new URL(path, base).href, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": accept || "application/json" },
        body: JSON.stringify(body)
      });
    }

    function fail(target, message) {
      target.box.classList.add("error");
      target.body.textContent = message;
      status.textContent = "";
    }

    function errorMessage(response) {
      return response.json().then(function (body) {
        return (body && body.error && body.error.message_da) || "Der skete en fejl. Prøv igen.";
      }, function () { return "Der skete en fejl. Prøv igen."; });
    }

    function ask(question) {
      counter += 1;
      bubble("user", question);
      input.value = "";
      send.disabled = true;
      status.textContent = "Finder svar i vejledningerne …";
      var target = bubble("assistant", "");
      var payload = { question: question, pool: pool, session_id: sessionId };
      var finished = false;
      post("api/chat/stream", payload, "text/event-stream").then(function (response) {
        if (!response.ok) return errorMessage(response).then(function (m) { fail(target, m); });
        if (!response.body || !response.body.getReader) {
          return response.text().then(function (text) { handle(parseEvents(text).events); });
        }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { buffer += "\n\n"; } else { buffer += decoder.decode(chunk.value, { stream: true }); }
            var parsed = parseEvents(buffer);
            buffer = parsed.rest;
            handle(parsed.events);
            if (!chunk.done) return pump();
          });
        }
        return pump();
      }).catch(function () {
        fail(target, "Tilskudsassistenten kan ikke nås lige nu. Prøv igen om lidt.");
      }).then(function () {
        send.disabled = false;
        if (!finished && !target.box.classList.contains("error") && !target.body.textContent) {
          fail(target, "Svaret blev afbrudt. Prøv igen.");
        }
      });

      function handle(events) {
        events.forEach(function (e) {
          var data;
          try { data = JSON.parse(e.data); } catch (x) { return; }
          if (e.event === "meta" && data.session_id) sessionId = data.session_id;
          else if (e.event === "delta") target.body.textContent += data.text;
          else if (e.event === "answer") {
            sessionId = data.session_id || sessionId;
            renderAnswer(target, data);
            status.textContent = "Svaret er klar.";
            finished = true;
          } else if (e.event === "error") fail(target, data.message_da || "Der skete en fejl.");
        });
        log.scrollTop = log.scrollHeight;
      }
    }
  }

  // Server-Sent Events over POST: split complete "event:/data:" blocks off the buffer.
  function parseEvents(buffer) {
    var events = [];
    var blocks = buffer.replace(/\r\n/g, "\n").split("\n\n");
    var rest = blocks.pop();
    blocks.forEach(function (block) {
      var event = "message";
      var data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) event = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (data.length) events.push({ event: event, data: data.join("\n") });
    });
    return { events: events, rest: rest };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
