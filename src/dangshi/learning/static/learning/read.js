// Reading records: POST start when an item opens, finish when the member says so.
// The server keeps the clock; this only tells it when.
(function () {
  const article = document.getElementById("learn-article");
  if (!article || article.dataset.member !== "1") return;
  const url = article.dataset.readUrl;
  let token = "";
  try { token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { token = ""; }
  const started = Date.now();
  const post = (body) => fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body),
  }).then((r) => r.json());
  post({ action: "start" });
  const button = document.getElementById("learn-finish");
  const status = document.getElementById("learn-status");
  if (!button) return;
  button.addEventListener("click", () => {
    const watched = Math.round((Date.now() - started) / 1000);
    post({ action: "finish", watched_seconds: watched }).then((rec) => {
      status.textContent = rec.counted ? "已计入学习记录" : (rec.message || "阅读时间不足,未计入");
      button.disabled = true;
    });
  });
})();
