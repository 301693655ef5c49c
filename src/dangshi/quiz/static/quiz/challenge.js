// 挑战答题: the countdown of the question on screen. The server's clock is the one that counts
// (it stamped the question when it served it); when the countdown runs out the form is sent
// as it is, and an empty or late answer ends the run. Without JavaScript the form still works.
(function () {
  "use strict";
  var form = document.getElementById("challenge-form");
  if (!form) return;
  var timer = document.getElementById("challenge-timer");
  var left = parseInt(form.dataset.left, 10) || 0;
  var sent = false;
  form.addEventListener("submit", function () { sent = true; });
  var tick = setInterval(function () {
    left -= 1;
    timer.textContent = String(Math.max(left, 0));
    timer.classList.toggle("urgent", left <= 5);
    if (left <= 0) {
      clearInterval(tick);
      if (!sent) { sent = true; form.submit(); }
    }
  }, 1000);
})();
