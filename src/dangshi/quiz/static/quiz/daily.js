// 每日答题: one question at a time with a per-question countdown. Each answer is sent to the
// server as it is given (the server stamps its arrival: its clock is the one that counts);
// when the last question is done the form is submitted. Without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var seconds = parseInt(form.dataset.seconds, 10) || 30;
  var questions = Array.prototype.slice.call(form.querySelectorAll(".quiz-question"));
  var timerEl = document.getElementById("quiz-timer");
  var indexEl = document.getElementById("quiz-index");
  var timings = {};
  // After a reload the server's elapsed time says which question is on the clock now.
  var elapsed = parseInt(form.dataset.elapsed, 10) || 0;
  var current = Math.min(Math.floor(elapsed / seconds), questions.length);
  var left = seconds - (elapsed % seconds);
  var shownAt = Date.now();
  var tick = null;

  function answerOf(fieldset) {
    var inputs = fieldset.querySelectorAll("input");
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && input.checked) values.push(input.value);
      if (input.type !== "radio" && input.type !== "checkbox" && input.value.trim()) values.push(input.value.trim());
    });
    if (!values.length) return null;
    return fieldset.dataset.type === "fill" ? values[0] : values;
  }

  function send(fieldset) {
    var answer = answerOf(fieldset);
    if (answer === null || !window.fetch) return;
    fetch(form.dataset.answerUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf},
      body: JSON.stringify({question: parseInt(fieldset.dataset.id, 10), answer: answer})
    }).catch(function () { /* the final submission carries the answer anyway */ });
  }

  function show(i) {
    questions.forEach(function (q, j) { q.hidden = j !== i; });
    if (i >= questions.length) { finish(); return; }
    indexEl.textContent = String(i + 1);
    timerEl.textContent = String(left);
    shownAt = Date.now();
  }

  function next() {
    var fieldset = questions[current];
    if (fieldset) {
      timings[fieldset.dataset.id] = Date.now() - shownAt;
      send(fieldset);
    }
    current += 1;
    left = seconds;
    show(current);
  }

  function finish() {
    if (tick) clearInterval(tick);
    form.querySelector("input[name=timings]").value = JSON.stringify(timings);
    questions.forEach(function (q) { q.hidden = true; });
    form.submit();
  }

  questions.forEach(function (q) {
    q.querySelector(".quiz-next").addEventListener("click", next);
  });
  show(current);
  tick = setInterval(function () {
    left -= 1;
    if (left <= 0) { next(); return; }
    timerEl.textContent = String(left);
    timerEl.classList.toggle("urgent", left <= 5);
  }, 1000);
})();
