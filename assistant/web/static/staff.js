// Staff hotline view: asks /api/staff/ask (the HttpOnly cookie authenticates) and renders the answer
// with DOM text nodes only, so no question or answer text is ever parsed as HTML.
(function () {
  "use strict";
  var main = document.getElementById("indhold");
  var base = main.getAttribute("data-base") || "";
  var form = document.getElementById("ask-form");
  var status = document.getElementById("status");
  var result = document.getElementById("result");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function sectionCard(section, quote) {
    var card = el("article", null, "card");
    var h = el("h3");
    h.appendChild(link(base + section.url + (quote ? "?quote=" + encodeURIComponent(quote) + "#citat" : ""),
      section.label));
    card.appendChild(h);
    card.appendChild(el("p", section.title, "meta"));
    section.paragraphs.forEach(function (p) { card.appendChild(el("p", p.replace(/\*\*/g, ""))); });
    return card;
  }

  function renderFacts(facts) {
    var box = document.getElementById("facts");
    clear(box);
    if (!facts.length) { box.appendChild(el("p", "Ingen fakta registreret for puljen.", "meta")); return; }
    var table = el("table", null, "facts");
    var head = el("tr");
    ["Fakta", "Værdi", "Kilde"].forEach(function (t) { var th = el("th", t); th.scope = "col"; head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); table.appendChild(thead);
    var body = el("tbody");
    facts.forEach(function (f) {
      var tr = el("tr");
      tr.appendChild(el("td", f.label || f.key));
      tr.appendChild(el("td", f.display));
      var td = el("td");
      td.appendChild(link(base + f.url, f.source_label));
      tr.appendChild(td);
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  function render(data) {
    var answer = document.getElementById("answer");
    clear(answer);
    if (data.answer.abstained) answer.appendChild(el("p", "Assistenten fandt ikke svaret i vejledningerne.", "error"));
    data.answer.answer.split(/\n\n+/).forEach(function (p) { answer.appendChild(el("p", p)); });
    if (data.answer.clarification) answer.appendChild(el("p", data.answer.clarification, "meta"));
    document.getElementById("reply").value = data.reply_da;

    var sections = document.getElementById("sections");
    clear(sections);
    if (!data.sections.length) sections.appendChild(el("p", "Ingen afsnit.", "meta"));
    data.sections.forEach(function (s, i) {
      var quote = data.answer.citations[i] ? data.answer.citations[i].quote : "";
      sections.appendChild(sectionCard(s, quote));
    });
    var faq = document.getElementById("faq");
    clear(faq);
    if (!data.faq.length) faq.appendChild(el("p", "Ingen relaterede FAQ-svar for puljen.", "meta"));
    data.faq.forEach(function (s) { faq.appendChild(sectionCard(s, "")); });
    renderFacts(data.facts);
    result.hidden = false;
    document.getElementById("svar-overskrift").focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = document.getElementById("question").value;
    var pool = document.getElementById("pool").value || null;
    status.textContent = "Søger i vejledningerne …";
    fetch(base + "/api/staff/ask", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ question: question, pool: pool })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
    }).then(function (r) {
      if (!r.ok) {
        status.textContent = (r.body && r.body.error && r.body.error.message_da) || "Der skete en fejl.";
        if (r.status === 401) window.location.reload();
        return;
      }
      status.textContent = "Svaret er klar.";
      render(r.body);
    }).catch(function () {
      status.textContent = "Serveren svarer ikke. Prøv igen om lidt.";
    });
  });

  // "Lav svar til ansøgeren" on a gap: ask the same question for the same pool; the reply box gets the answer.
  document.addEventListener("click", function (event) {
    var draft = event.target.closest ? event.target.closest("button.draft") : null;
    if (!draft) return;
    document.getElementById("question").value = draft.getAttribute("data-question");
    document.getElementById("pool").value = draft.getAttribute("data-pool") || "";
    if (typeof form.requestSubmit === "function") form.requestSubmit(); else form.dispatchEvent(new Event("submit"));
    document.getElementById("spoerg").scrollIntoView();
  });

  document.getElementById("copy").addEventListener("click", function () {
    var reply = document.getElementById("reply");
    var done = document.getElementById("copy-status");
    function fallback() {
      reply.focus();
      reply.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done.textContent = ok ? "Svaret er kopieret." : "Markér teksten og kopiér med Ctrl+C.";
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(reply.value).then(function () {
        done.textContent = "Svaret er kopieret.";
      }, fallback);
    } else {
      fallback();
    }
  });
})();
