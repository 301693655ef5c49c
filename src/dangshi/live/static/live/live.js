// 现场竞赛: one script for the host console, the big screen, the judges, a desk's phone and an
// audience phone (data-role on #live). The server owns the state and the clock: every frame
// carries the whole state, the clock is the server's deadline corrected by the offset between
// the server's and this device's time, and a socket that drops reconnects at once and gets
// the current state again (WeChat backgrounding, a flaky hall network, a reloaded screen).
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root) return;
  var role = root.dataset.role;
  var T = JSON.parse(document.getElementById("live-strings").textContent);
  var socket = null, state = null, host = null, offset = 0, retry = 0, me = null, myTeam = null;
  var answered = {};

  function $(id) { return document.getElementById(id); }
  function text(id, value) { var el = $(id); if (el) el.textContent = value == null ? "" : value; }
  function clear(el) { while (el && el.firstChild) el.removeChild(el.firstChild); }
  function el(tag, cls, content) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (content != null) node.textContent = content;
    return node;
  }

  function connect() {
    if (socket && socket.readyState <= 1) return;
    text("live-conn", T.connecting);
    socket = new WebSocket(root.dataset.ws);
    socket.onopen = function () { retry = 0; text("live-conn", T.online); root.classList.remove("offline"); };
    socket.onclose = function () {
      root.classList.add("offline");
      text("live-conn", T.offline);
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 250 * retry);
    };
    socket.onmessage = function (event) {
      var frame = JSON.parse(event.data);
      if (frame.type === "state") {
        offset = frame.server_now - Date.now();
        state = frame;
        render();
      } else if (frame.type === "host") {
        host = frame; renderHost();
      } else if (frame.type === "desk") {
        myTeam = frame.team_id; render();
      } else if (frame.type === "me") {
        me = frame;
        (frame.answered_ids || []).forEach(function (id) { answered[id] = true; });
        renderMe();
      } else if (frame.type === "error") {
        showError(frame.message);
      } else if (frame.type === "buzzed") {
        text("desk-note", frame.foul ? T.foul : T.buzzed);
      } else if (frame.type === "answered") {
        text("desk-note", T.answered);
      }
    };
  }

  function send(payload) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(payload));
  }

  function showError(message) {
    var box = $("live-error");
    if (!box) return;
    box.hidden = false;
    box.textContent = message;
    setTimeout(function () { box.hidden = true; }, 4000);
  }

  // -- the clock ------------------------------------------------------------------------
  function remaining() {
    if (!state) return null;
    if (state.paused) return state.remaining_ms;
    if (!state.deadline) return null;
    return Math.max(0, state.deadline - (Date.now() + offset));
  }

  function tick() {
    var left = remaining();
    var clock = $("live-clock");
    if (!clock) return;
    if (left == null) { clock.textContent = "—"; clock.classList.remove("urgent"); return; }
    var s = Math.ceil(left / 1000);
    clock.textContent = state.paused ? T.paused + " " + s : (left === 0 ? T.time_up : String(s));
    clock.dataset.seconds = String(s);
    clock.classList.toggle("urgent", s <= 5);
  }
  setInterval(tick, 200);

  // -- rendering ------------------------------------------------------------------------
  function phaseLabel() {
    if (!state) return "";
    if (state.phase === "finished") return T.finished;
    if (state.phase !== "live") return T.ready;
    return (state.rehearsal ? T.rehearsal + " · " : "") + (state.paused ? T.paused : "");
  }

  function renderBoard() {
    var board = $("live-scoreboard");
    if (!board) return;
    var body = board.querySelector("tbody");
    clear(body);
    state.scoreboard.forEach(function (row) {
      var tr = el("tr");
      tr.dataset.teamId = row.team_id;
      tr.dataset.score = row.score;
      if (row.team_id === myTeam) tr.className = "mine";
      tr.appendChild(el("td", "", row.place));
      tr.appendChild(el("td", "", row.name));
      tr.appendChild(el("td", "score", row.score));
      body.appendChild(tr);
    });
    var audience = $("live-audience");
    if (audience) {
      clear(audience);
      state.audience.forEach(function (row) {
        audience.appendChild(el("li", "", row.name + " · " + row.correct));
      });
    }
  }

  function renderQuestion() {
    var q = state.question, r = state.round;
    text("live-round-title", r ? r.title : "");
    text("live-round-kind", r ? r.kind_label : "");
    text("live-rules", r ? r.rules : "");
    var box = $("live-question");
    if (box) box.dataset.state = q ? q.state : "none";
    text("live-stem", q ? q.stem : "");
    var options = $("live-options");
    clear(options);
    if (q) q.options.forEach(function (o) {
      var li = el("li", "", (q.type === "true_false" ? "" : o.key + ". ") + o.text);
      li.dataset.key = o.key;
      if (q.answer && q.answer.indexOf(o.key) >= 0) li.className = "right";
      options.appendChild(li);
    });
    var turn = "";
    if (q && q.floor) turn = q.floor + " " + T.floor;
    else if (q && q.team) turn = T.turn + ":" + q.team + (q.risk_value ? " · " + T.stake + " " + q.risk_value : "");
    text("live-turn", turn);
    var buzzes = $("live-buzzes");
    clear(buzzes);
    if (q) q.buzzes.forEach(function (b, i) {
      var chip = el("span", b.foul ? "buzz foul" : "buzz", (b.foul ? T.foul + " " : (i + 1) + ". ") + b.team);
      buzzes.appendChild(chip);
    });
    var answer = $("live-answer");
    if (answer) {
      answer.hidden = !(q && q.answer);
      answer.textContent = q && q.answer ? T.answer + ":" + q.answer.join("、") +
        (q.explanation ? "  " + q.explanation : "") : "";
    }
    var idle = $("live-idle");
    if (idle) {
      var upcoming = state.upcoming;
      idle.textContent = state.phase === "finished" ? T.finished :
        (!q && upcoming ? T.upcoming + (upcoming.team ? ":" + upcoming.team : "") : (!q ? T.ready : ""));
      idle.hidden = !!q && state.phase !== "finished";
    }
  }

  function render() {
    if (!state) return;
    text("live-phase", phaseLabel());
    root.dataset.phase = state.phase;
    renderBoard();
    renderQuestion();
    tick();
    if (role === "desk") renderDesk();
    if (role === "audience") renderAudience();
  }

  function renderHost() {
    if (!host) return;
    text("host-answer", host.answer ? host.answer.join("、") : "—");
    var answers = (host.team_answers || []).map(function (a) {
      var team = state && state.scoreboard.filter(function (t) { return t.team_id === a.team_id; })[0];
      return (team ? team.name : a.team_id) + ":" + [].concat(a.given).join("、");
    });
    text("host-team-answers", answers.length ? answers.join(";") : "—");
    text("host-last-score", host.last_score ? host.last_score.team + " " + (host.last_score.points > 0 ? "+" : "") +
      host.last_score.points : "—");
    var table = $("host-run");
    if (!table) return;
    var body = table.querySelector("tbody");
    clear(body);
    host.run.forEach(function (q) {
      var tr = el("tr");
      tr.dataset.question = q.id;
      tr.dataset.state = q.state;
      tr.appendChild(el("td", "", q.round));
      tr.appendChild(el("td", "", q.number));
      tr.appendChild(el("td", "", q.stem));
      tr.appendChild(el("td", "", q.team + (q.risk_value ? " · " + q.risk_value : "")));
      tr.appendChild(el("td", "", q.state));
      var cell = el("td");
      if (q.state === "hidden") {
        if (q.kind === "risk") q.risk_values.forEach(function (v) {
          var b = el("button", "button small" + (q.risk_value === v ? " primary" : ""), String(v));
          b.dataset.action = "risk"; b.dataset.question = q.id; b.dataset.value = v;
          cell.appendChild(b);
        });
        var show = el("button", "button small primary", T.show);
        show.dataset.action = "show"; show.dataset.question = q.id;
        cell.appendChild(show);
      }
      tr.appendChild(cell);
      body.appendChild(tr);
    });
  }

  function choiceButtons(container, q, onPick) {
    clear(container);
    var picked = [];
    q.options.forEach(function (o) {
      var b = el("button", "live-choice", (q.type === "true_false" ? "" : o.key + ". ") + o.text);
      b.type = "button";
      b.dataset.key = o.key;
      b.addEventListener("click", function () {
        if (q.type === "multiple") {
          var at = picked.indexOf(o.key);
          if (at >= 0) picked.splice(at, 1); else picked.push(o.key);
          b.classList.toggle("picked");
        } else {
          onPick([o.key]);
        }
      });
      container.appendChild(b);
    });
    if (q.type === "multiple") {
      var done = el("button", "button primary wide", "OK");
      done.type = "button";
      done.dataset.submit = "1";
      done.addEventListener("click", function () { if (picked.length) onPick(picked.slice().sort()); });
      container.appendChild(done);
    }
  }

  function renderDesk() {
    var q = state.question, r = state.round;
    var mine = state.scoreboard.filter(function (t) { return t.team_id === myTeam; })[0];
    text("desk-score", mine ? mine.score : 0);
    var buzz = $("desk-buzz");
    var buzzRound = r && (r.kind === "buzz" || r.kind === "tiebreak");
    var alreadyBuzzed = q && q.buzzes.some(function (b) { return b.team_id === myTeam; });
    buzz.hidden = !buzzRound;
    buzz.disabled = !(q && (q.state === "shown" || q.state === "open") && !alreadyBuzzed && !state.paused);
    buzz.classList.toggle("armed", !!(q && q.state === "open" && !alreadyBuzzed));
    var answering = q && ((buzzRound && q.floor_id === myTeam && q.state === "floor") ||
                          (!buzzRound && q.team_id === myTeam && q.state === "open"));
    var box = $("desk-answer");
    var key = q ? "d" + q.id : "";
    box.hidden = !answering || answered[key];
    if (answering && !answered[key] && box.dataset.question !== String(q.id)) {
      box.dataset.question = String(q.id);
      text("desk-answer-hint", T.your_turn);
      var fill = $("desk-fill");
      fill.hidden = q.type !== "fill";
      if (q.type === "fill") clear($("desk-choices"));
      else choiceButtons($("desk-choices"), q, function (given) { answered[key] = true; send({action: "answer", given: given}); box.hidden = true; });
    }
    var risk = $("desk-risk");
    var up = state.upcoming;
    var between = !q || q.state === "closed" || q.state === "revealed";
    var choosing = between && up && up.team_id === myTeam && up.risk_values && up.risk_values.length > 0;
    risk.hidden = !choosing;
    if (choosing) {
      var values = $("desk-risk-values");
      clear(values);
      up.risk_values.forEach(function (v) {
        var b = el("button", "live-choice" + (up.risk_value === v ? " picked" : ""), String(v));
        b.type = "button";
        b.addEventListener("click", function () { send({action: "risk", question: up.id, value: v}); });
        values.appendChild(b);
      });
    }
    if (!q) text("desk-note", "");
  }

  function renderAudience() {
    var q = state.question;
    var choices = $("aud-choices"), fill = $("aud-fill");
    var open = q && (q.state === "shown" || q.state === "open" || q.state === "floor") && !state.paused &&
      !(q.state === "open" && remaining() === 0);
    var key = q ? q.id : null;
    if (!open || answered[key]) {
      clear(choices); choices.dataset.question = ""; fill.hidden = true;
      text("aud-note", q && answered[key] ? T.answered : "");
      return;
    }
    if (choices.dataset.question === String(q.id)) return;
    choices.dataset.question = String(q.id);
    text("aud-note", "");
    fill.hidden = q.type !== "fill";
    if (q.type === "fill") { clear(choices); return; }
    choiceButtons(choices, q, function (given) {
      answered[key] = true;
      send({action: "answer", given: given});
      renderAudience();
    });
  }

  function renderMe() {
    if (!me) return;
    text("aud-correct", me.correct);
    text("aud-answered", me.answered);
  }

  // -- actions --------------------------------------------------------------------------
  root.addEventListener("click", function (event) {
    var button = event.target.closest("[data-action]");
    if (!button) return;
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    var payload = {action: button.dataset.action};
    if (button.dataset.question) payload.question = parseInt(button.dataset.question, 10);
    if (button.dataset.value) payload.value = parseInt(button.dataset.value, 10);
    if (button.dataset.rehearsal) payload.rehearsal = true;
    send(payload);
  });

  var buzzButton = $("desk-buzz");
  if (buzzButton) {
    // pointerdown, not click: the press is what counts, and the server stamps its arrival.
    buzzButton.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      if (!buzzButton.disabled) { send({action: "buzz"}); buzzButton.disabled = true; }
    });
  }

  function fillForm(id, onGiven) {
    var form = $(id);
    if (!form) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = form.elements.fill.value.trim();
      if (value) { onGiven(value); form.elements.fill.value = ""; form.hidden = true; }
    });
  }
  fillForm("desk-fill", function (v) {
    if (state && state.question) answered["d" + state.question.id] = true;
    send({action: "answer", given: [v]});
  });
  fillForm("aud-fill", function (v) {
    if (state && state.question) answered[state.question.id] = true;
    send({action: "answer", given: [v]});
  });

  var judge = $("judge-form");
  if (judge) {
    judge.addEventListener("submit", function (event) {
      event.preventDefault();
      send({action: "adjust", team: parseInt(judge.elements.team.value, 10),
            points: parseInt(judge.elements.points.value, 10), reason: judge.elements.reason.value});
      judge.elements.reason.value = "";
      judge.elements.points.value = "";
    });
  }

  // Back from the background: resync at once rather than wait for the next change.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      if (socket && socket.readyState === 1) send({action: "sync"});
      else if (!socket || socket.readyState === 3) connect();
    }
  });

  connect();
})();
