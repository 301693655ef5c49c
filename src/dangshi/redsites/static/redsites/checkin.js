// The check-in button: ask the browser for its position (when the site has a geofence,
// or anyway if it is available quickly), then POST to the API; show the answer.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("checkin-box");
  if (!box) return;
  const button = document.getElementById("checkin-button");
  const result = document.getElementById("checkin-result");
  const csrf = (document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const needsPosition = Boolean(box.dataset.geofence);

  function show(text, ok) {
    result.textContent = text;
    result.className = "checkin-result " + (ok ? "ok" : "refused");
  }

  async function send(coords) {
    const body = coords ? { lat: coords.latitude, lng: coords.longitude } : {};
    const response = await fetch(box.dataset.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    const data = await response.json();
    if (response.ok) {
      show((data.created ? "打卡成功!" : "今天已经打过卡了。") + "已点亮 " + data.lit + " 处红色地标。", true);
      button.disabled = true;
    } else {
      show(data.message || "打卡失败,请稍后再试。", false);
    }
  }

  button.addEventListener("click", () => {
    button.disabled = true;
    if (!navigator.geolocation) {
      if (needsPosition) { show("您的浏览器不支持定位,无法在本点打卡。", false); button.disabled = false; return; }
      send(null).finally(() => { button.disabled = false; });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => send(pos.coords).catch(() => show("网络异常,请稍后再试。", false)).finally(() => { if (!result.classList.contains("ok")) button.disabled = false; }),
      () => {
        if (needsPosition) { show("无法获取您的位置,请在手机设置中允许定位后再试。", false); button.disabled = false; }
        else send(null).finally(() => { if (!result.classList.contains("ok")) button.disabled = false; });
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
});
