// The applicant page around the conversation: the chosen pool's deadline and example questions. Focus stays
// where the applicant is (the pool list), and the change is announced by the polite #puljeinfo region.
(function () {
  "use strict";
  var select = document.getElementById("pulje");
  var info = document.getElementById("puljeinfo");
  if (!select || !info) return;

  function examplesFor(pool) {
    var lists = document.querySelectorAll("ul.eksempler");
    var shown = false;
    Array.prototype.forEach.call(lists, function (ul) {
      var match = ul.getAttribute("data-pool") === pool;
      ul.hidden = !match;
      shown = shown || match;
    });
    if (!shown) {
      Array.prototype.forEach.call(lists, function (ul) { ul.hidden = ul.getAttribute("data-pool") !== ""; });
    }
  }

  function update() {
    var option = select.options[select.selectedIndex];
    if (!select.value) {
      info.textContent = "Du spørger om alle puljer. Vælg en pulje for kun at få svar fra dens vejledning.";
    } else {
      // The list shows short names (a long name would be cut off on a phone); the full name is said here.
      var text = "Du spørger om " + (option.getAttribute("data-name") || option.textContent.trim()) + ".";
      var deadline = option.getAttribute("data-deadline");
      if (deadline) {
        text += " Ansøgningsfrist: " + deadline + (option.getAttribute("data-passed") ? " – fristen er udløbet." : ".");
      }
      info.textContent = text;
    }
    examplesFor(select.value);
  }

  select.addEventListener("change", update);
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button[data-question]") : null;
    if (!target) return;
    document.dispatchEvent(new CustomEvent("tilskudsassistent:ask", { detail: { question: target.getAttribute("data-question") } }));
  });
  update();
})();
