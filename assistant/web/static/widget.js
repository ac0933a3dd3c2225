/*
 * Tilskudsassistenten – the chat client, used two ways:
 *   On any page, as a button that opens a modal dialog (the widget):
 *     <script src="https://<host>/widget.js" data-pool="saerligsoc-2025" defer></script>
 *   On the applicant page, inline in an element (data-mode="inline" data-target="<id>"), with the pool taken
 *   from a <select> on the page (data-pool-select="<id>").
 * Optional: data-title="…" (button text). Styles live in a Shadow DOM so the host page and the widget cannot
 * restyle each other. All question and answer text is put in the DOM with textContent, never as HTML. No
 * build step and no secret: the client only calls the public API. The conversation is kept in the tab's
 * sessionStorage, so a reload (or a visit to a source and back) keeps it.
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
  var inline = script.getAttribute("data-mode") === "inline";
  var presetPool = script.getAttribute("data-pool") || null;
  var poolSelectId = script.getAttribute("data-pool-select");
  var title = script.getAttribute("data-title") || "Spørg om puljen";
  var STORE = "tilskudsassistent:" + (inline ? "side" : "widget:" + (presetPool || "alle"));
  var WAITING = "Et øjeblik – jeg finder svaret i vejledningerne …";
  var OFFLINE = "Tilskudsassistenten kan ikke nås lige nu. Tjek din forbindelse, og prøv igen. Samtalen er gemt.";
  var CUT = "Svaret blev afbrudt undervejs. Prøv igen. Samtalen er gemt.";

  var CSS = [
    ":host { all: initial; }",
    "* { box-sizing: border-box; }",
    ".wrap { font: 16px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d2330; }",
    ".wrap.floating { position: fixed; right: 16px; bottom: 16px; z-index: 2147483000; }",
    "button { font: inherit; cursor: pointer; }",
    "button:focus-visible, textarea:focus-visible, a:focus-visible, summary:focus-visible { outline: 3px solid #1d2330; outline-offset: 2px; box-shadow: 0 0 0 5px #fff; }",
    ".launcher { background: #0b5cad; color: #fff; border: 0; border-radius: 999px; padding: 12px 18px; box-shadow: 0 4px 14px rgba(0,0,0,.25); }",
    ".floating .panel { position: fixed; right: 16px; bottom: 76px; width: 400px; max-width: calc(100vw - 32px); height: 600px; max-height: calc(100vh - 100px); background: #fff; border: 1px solid #6b7280; border-radius: 12px; box-shadow: 0 10px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden; }",
    ".panel[hidden] { display: none !important; }",
    ".head { display: flex; align-items: center; gap: 8px; background: #102a43; color: #fff; padding: 10px 12px; }",
    ".head h2 { font-size: 17px; margin: 0; flex: 1; }",
    ".close { background: transparent; color: #fff; border: 1px solid #fff; border-radius: 6px; padding: 4px 12px; min-height: 36px; }",
    ".note { font-size: 14px; color: #374151; background: #f5f7fa; margin: 0; padding: 8px 12px; border-bottom: 1px solid #d1d5db; }",
    ".floating .log { flex: 1; overflow-y: auto; padding: 12px; }",
    ".inline .log:empty { display: none; }",
    ".inline .log { margin-bottom: 12px; }",
    ".msg { margin: 0 0 12px; padding: 10px 12px; border-radius: 10px; overflow-wrap: anywhere; scroll-margin-top: 12px; }",
    ".user { background: #e8f0fb; margin-left: 32px; white-space: pre-wrap; }",
    ".bot { background: #f5f7fa; margin-right: 8px; border: 1px solid #d1d5db; }",
    ".inline .bot { margin-right: 0; }",
    ".who { display: block; font-size: 14px; font-weight: 700; color: #374151; }",
    ".text p { margin: 0 0 8px; white-space: pre-wrap; }",
    ".text p.direct { font-weight: 600; }",
    "a { color: #0b5cad; text-decoration: underline; }",
    "details { margin-top: 8px; }",
    "summary { cursor: pointer; color: #0b5cad; text-decoration: underline; font-weight: 600; padding: 4px 0; }",
    ".sources { margin: 6px 0 0; padding-left: 22px; font-size: 15px; }",
    ".sources li { margin-bottom: 8px; }",
    ".quote { display: block; color: #374151; font-size: 14px; }",
    ".fact { background: #fff1a8; padding: 0 3px; }",
    ".vote { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 15px; margin-top: 10px; }",
    ".vote button, .retry, .comment button { background: #fff; color: #1d2330; border: 1px solid #4b5563; border-radius: 6px; padding: 4px 10px; min-height: 36px; }",
    ".vote button[aria-pressed='true'] { background: #e8f0fb; border-color: #0b5cad; }",
    ".comment { width: 100%; margin-top: 8px; }",
    ".comment textarea { min-height: 64px; }",
    "form.ask { border-top: 1px solid #d1d5db; padding: 8px 12px 12px; }",
    ".inline form.ask { border: 0; padding: 0; }",
    "label { display: block; font-weight: 600; font-size: 15px; margin-bottom: 4px; }",
    "textarea { width: 100%; min-height: 56px; max-height: 160px; font: inherit; padding: 8px; border: 1px solid #4b5563; border-radius: 6px; resize: vertical; color: #1d2330; background: #fff; }",
    ".hint { font-size: 14px; color: #374151; margin: 2px 0 0; }",
    ".actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }",
    ".send { background: #0b5cad; color: #fff; border: 0; border-radius: 6px; padding: 8px 18px; min-height: 44px; }",
    ".send[aria-disabled='true'] { background: #4b5563; cursor: wait; }",
    ".reset { background: #fff; color: #0b5cad; border: 1px solid #0b5cad; border-radius: 6px; padding: 8px 14px; min-height: 44px; }",
    ".status { font-size: 15px; color: #374151; min-height: 1.5em; margin: 6px 0 0; }",
    ".error { color: #9b1c1c; }",
    ".msg.error { background: #fdf2f2; border-color: #f5c2c2; }",
    ".sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    "@media (max-width: 480px) { .wrap.floating { right: 8px; bottom: 8px; } .floating .panel { right: 0; bottom: 0; width: 100vw; max-width: 100vw; height: 100%; max-height: 100%; border-radius: 0; border: 0; } }"
  ].join("\n");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function button(text, cls) {
    var b = el("button", text, cls);
    b.type = "button";
    return b;
  }

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
      if (saved && Array.isArray(saved.turns)) return saved;
    } catch (x) { /* storage off or damaged: start over */ }
    return { session_id: null, turns: [] };
  }

  function save(state) {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (x) { /* storage off */ }
  }

  function mount() {
    var state = load();
    var hostTarget = inline ? document.getElementById(script.getAttribute("data-target")) : null;
    if (inline && !hostTarget) return;
    var host = document.createElement("div");
    host.setAttribute("data-tilskudsassistent", "");
    (hostTarget || document.body).appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("style", CSS));

    var id = "ta-" + Math.random().toString(36).slice(2, 8);
    var wrap = el("div", null, "wrap " + (inline ? "inline" : "floating"));
    var panel = el(inline ? "div" : "section", null, "panel");
    panel.id = id + "-panel";
    var launcher = null;
    var closeButton = null;

    if (!inline) {
      launcher = button(title, "launcher");
      launcher.setAttribute("aria-haspopup", "dialog");
      launcher.setAttribute("aria-expanded", "false");
      launcher.setAttribute("aria-controls", panel.id);
      panel.hidden = true;
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      panel.setAttribute("aria-labelledby", id + "-title");
      panel.setAttribute("aria-describedby", id + "-note");
      var head = el("div", null, "head");
      var h2 = el("h2", "Tilskudsassistenten");
      h2.id = id + "-title";
      closeButton = button("Luk", "close");
      closeButton.setAttribute("aria-label", "Luk Tilskudsassistenten");
      head.appendChild(h2);
      head.appendChild(closeButton);
      panel.appendChild(head);
      var note = el("p", "Jeg svarer kun ud fra de offentliggjorte vejledninger og henviser til kilden. " +
        "Skriv ikke CPR-nummer eller andre personoplysninger.", "note");
      note.id = id + "-note";
      panel.appendChild(note);
    }

    var log = el("div", null, "log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-label", "Samtale");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");

    var form = el("form", null, "ask");
    var label = el("label", "Dit spørgsmål");
    label.htmlFor = id + "-q";
    var input = el("textarea");
    input.id = id + "-q";
    input.maxLength = 2000;
    input.rows = 2;
    input.setAttribute("aria-describedby", id + "-hint");
    var hint = el("p", "Tryk Enter for at sende, Skift+Enter for ny linje.", "hint");
    hint.id = id + "-hint";
    var actions = el("div", null, "actions");
    var send = el("button", "Send spørgsmål", "send");
    send.type = "submit";
    var reset = button("Ny samtale", "reset");
    actions.appendChild(send);
    actions.appendChild(reset);
    var status = el("p", "", "status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(hint);
    form.appendChild(actions);
    form.appendChild(status);

    panel.appendChild(log);
    panel.appendChild(form);
    wrap.appendChild(panel);
    if (launcher) wrap.appendChild(launcher);
    root.appendChild(wrap);

    var busy = false;

    function currentPool() {
      var select = poolSelectId ? document.getElementById(poolSelectId) : null;
      if (select) return select.value || null;
      return presetPool;
    }

    // -- the modal dialog --------------------------------------------------------------------------------
    function focusables() {
      return Array.prototype.filter.call(
        panel.querySelectorAll("a[href], button:not([disabled]), textarea:not([disabled]), summary"),
        function (node) { return node.getClientRects().length > 0; }
      );
    }

    function setOpen(show) {
      panel.hidden = !show;
      launcher.setAttribute("aria-expanded", show ? "true" : "false");
      // While the dialog is open the launcher is behind it (covered on phones): out of the tab order.
      launcher.inert = show;
      if (show) { input.focus(); scrollToEnd(); } else launcher.focus();
    }

    if (launcher) {
      launcher.addEventListener("click", function () { setOpen(panel.hidden); });
      closeButton.addEventListener("click", function () { setOpen(false); });
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { event.preventDefault(); setOpen(false); return; }
        if (event.key !== "Tab") return;
        var items = focusables();
        if (!items.length) return;
        var first = items[0], last = items[items.length - 1], active = root.activeElement;
        if (event.shiftKey && (active === first || items.indexOf(active) < 0)) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && (active === last || items.indexOf(active) < 0)) { event.preventDefault(); first.focus(); }
      });
    }

    // -- asking --------------------------------------------------------------------------------------------
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
    reset.addEventListener("click", function () {
      state = { session_id: null, turns: [] };
      save(state);
      while (log.firstChild) log.removeChild(log.firstChild);
      status.textContent = "Ny samtale startet.";
      input.focus();
    });
    document.addEventListener("tilskudsassistent:ask", function (event) {
      if (!inline || !event.detail || !event.detail.question) return;
      input.value = event.detail.question;
      submit();
    });

    function submit() {
      var question = input.value.trim();
      if (busy) return;
      if (!question) { status.textContent = "Skriv et spørgsmål først."; input.focus(); return; }
      input.value = "";
      ask(question, currentPool());
    }

    function scrollToEnd() { if (!inline) log.scrollTop = log.scrollHeight; }

    function showStart(box) {
      // The newest answer is shown from its start (not from its sources at the bottom).
      if (inline) box.scrollIntoView({ block: "start", behavior: "auto" });
      else log.scrollTop = Math.max(0, box.offsetTop - log.offsetTop - 8);
    }

    function userBubble(question) {
      var box = el("div", null, "msg user");
      box.appendChild(el("span", "Dig", "who"));
      box.appendChild(el("span", question));
      log.appendChild(box);
      return box;
    }

    function botBubble() {
      var box = el("div", null, "msg bot");
      box.appendChild(el("span", "Tilskudsassistenten", "who"));
      var text = el("div", null, "text");
      box.appendChild(text);
      log.appendChild(box);
      return { box: box, text: text };
    }

    function paragraphs(target, answer) {
      while (target.text.firstChild) target.text.removeChild(target.text.firstChild);
      var lines = String(answer || "").split(/\n+/).filter(function (l) { return l.trim(); });
      lines.forEach(function (line, i) { target.text.appendChild(el("p", line, i === 0 ? "direct" : null)); });
    }

    function sourceLink(c) {
      var a = el("a", c.label);
      a.href = new URL(c.url.replace(/^\//, ""), base).href;
      if (!inline) {
        a.target = "_blank";
        a.rel = "noopener";
        a.appendChild(el("span", " (åbner i et nyt vindue)", "sr"));
      }
      return a;
    }

    function renderAnswer(target, answer, turn) {
      paragraphs(target, answer.answer);
      if (answer.clarification) target.text.appendChild(el("p", answer.clarification));
      if (answer.facts && answer.facts.length) {
        var facts = el("ul", null, "sources");
        facts.setAttribute("aria-label", "Fakta");
        answer.facts.forEach(function (f) {
          var li = el("li");
          li.appendChild(el("span", f.display, "fact"));
          li.appendChild(document.createTextNode(" – "));
          li.appendChild(sourceLink({ label: f.source_label, url: f.url }));
          facts.appendChild(li);
        });
        target.box.appendChild(facts);
      }
      if (answer.citations && answer.citations.length) {
        var details = el("details");
        var n = answer.citations.length;
        details.appendChild(el("summary", "Kilder (" + n + (n === 1 ? " afsnit)" : " afsnit)")));
        var list = el("ol", null, "sources");
        answer.citations.forEach(function (c) {
          var li = el("li");
          li.appendChild(sourceLink(c));
          li.appendChild(el("span", "»" + c.quote + "«", "quote"));
          list.appendChild(li);
        });
        details.appendChild(list);
        target.box.appendChild(details);
      }
      target.box.appendChild(voteRow(answer.answer_id, turn));
    }

    function voteRow(answerId, turn) {
      var row = el("div", null, "vote");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", "Hjalp svaret?");
      row.appendChild(el("span", "Hjalp svaret?"));
      var said = el("span", "");
      said.setAttribute("role", "status");
      var up = button("Ja");
      up.setAttribute("aria-label", "Ja, svaret hjalp");
      var down = button("Nej");
      down.setAttribute("aria-label", "Nej, svaret hjalp ikke");
      row.appendChild(up);
      row.appendChild(down);
      row.appendChild(said);

      function done(ok) {
        said.textContent = ok ? "Tak for din vurdering." : "Vurderingen kunne ikke gemmes. Prøv igen.";
        if (ok) {
          up.disabled = down.disabled = true;
          if (turn) { turn.voted = true; save(state); }
        }
      }
      if (turn && turn.voted) { up.disabled = down.disabled = true; said.textContent = "Tak for din vurdering."; }
      up.addEventListener("click", function () {
        up.setAttribute("aria-pressed", "true");
        post("api/feedback", { answer_id: answerId, vote: "up" }).then(function (r) { done(r.ok); }, function () { done(false); });
      });
      down.addEventListener("click", function () {
        down.setAttribute("aria-pressed", "true");
        if (row.querySelector(".comment")) return;
        var box = el("div", null, "comment");
        var cid = id + "-c-" + answerId;
        var l = el("label", "Hvad manglede? (valgfrit)");
        l.htmlFor = cid;
        var t = el("textarea");
        t.id = cid;
        t.maxLength = 2000;
        var h = el("p", "Skriv ikke personoplysninger. Kommentaren gemmes uden navne, numre og adresser.", "hint");
        h.id = cid + "-h";
        t.setAttribute("aria-describedby", h.id);
        var go = button("Send vurdering");
        go.addEventListener("click", function () {
          var comment = t.value.trim() || null;
          post("api/feedback", { answer_id: answerId, vote: "down", comment: comment }).then(function (r) {
            done(r.ok);
            if (r.ok) { t.disabled = true; go.disabled = true; }
          }, function () { done(false); });
        });
        box.appendChild(l);
        box.appendChild(t);
        box.appendChild(h);
        box.appendChild(go);
        row.appendChild(box);
        t.focus();
      });
      return row;
    }

    function post(path, body, accept) {
      return fetch(new URL(path, base).href, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": accept || "application/json" },
        body: JSON.stringify(body)
      });
    }

    function errorMessage(response) {
      return response.json().then(function (body) {
        return (body && body.error && body.error.message_da) || "Der skete en fejl. Prøv igen.";
      }, function () { return "Der skete en fejl. Prøv igen."; });
    }

    function ask(question, pool) {
      busy = true;
      send.setAttribute("aria-disabled", "true");
      var userBox = userBubble(question);
      var target = botBubble();
      target.text.appendChild(el("p", WAITING));
      status.textContent = WAITING;
      showStart(userBox);
      var payload = { question: question, pool: pool, session_id: state.session_id };
      var finished = false;
      var failed = false;
      var released = false;

      // The box is free again as soon as the answer is complete, not when the stream closes: a reader who
      // types the next question while the last bytes arrive must not have it silently dropped.
      function release() {
        if (released) return;
        released = true;
        busy = false;
        send.removeAttribute("aria-disabled");
      }

      function fail(message, retry) {
        failed = true;
        target.box.classList.add("error");
        paragraphs(target, message);
        status.textContent = message;
        if (retry) {
          var again = button("Prøv igen", "retry");
          again.addEventListener("click", function () {
            log.removeChild(userBox);
            log.removeChild(target.box);
            ask(question, pool);
          });
          target.box.appendChild(again);
        } else {
          input.value = question;  // a refused question stays in the box to be corrected
        }
      }

      function handle(events) {
        events.forEach(function (e) {
          var data;
          try { data = JSON.parse(e.data); } catch (x) { return; }
          // The session id is taken from the complete answer only: a stream cut after "meta" leaves the
          // conversation as it was, so "Prøv igen" continues it.
          if (e.event === "delta") {
            if (!target.streamed) { paragraphs(target, ""); target.streamed = ""; }
            target.streamed += data.text;
            paragraphs(target, target.streamed);
          } else if (e.event === "answer") {
            state.session_id = data.session_id || state.session_id;
            var turn = { question: question, answer: data };
            state.turns.push(turn);
            save(state);
            renderAnswer(target, data, turn);
            status.textContent = data.abstained ? "Svaret blev ikke fundet i vejledningerne." : "Svaret er klar.";
            finished = true;
            release();
          } else if (e.event === "error") fail(data.message_da || "Der skete en fejl. Prøv igen.", true);
        });
      }

      post("api/chat/stream", payload, "text/event-stream").then(function (response) {
        if (!response.ok) return errorMessage(response).then(function (m) { fail(m, response.status >= 500 || response.status === 429); });
        if (!response.body || !response.body.getReader) {
          return response.text().then(function (text) { handle(parseEvents(text + "\n\n").events); });
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
        if (!finished && !failed) fail(OFFLINE, true);
      }).then(function () {
        release();
        if (!finished && !failed) fail(CUT, true);
        if (finished && !busy) showStart(userBox);  // not when the next question is already under way
      });
    }

    // -- restore the conversation of this tab --------------------------------------------------------------
    state.turns.forEach(function (turn) {
      userBubble(turn.question);
      renderAnswer(botBubble(), turn.answer, turn);
    });
    if (inline) {
      var wanted = new URLSearchParams(window.location.search).get("spoerg");
      if (wanted) input.value = wanted.slice(0, 2000);
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
