// Lingxi console: swaps in the fragments the server renders; no framework, no build.
"use strict";

const $ = (sel) => document.querySelector(sel);
const state = { selected: null, follow: true, sessions: {} };

function fromHTML(html) {
  const t = document.createElement("template");
  t.innerHTML = html.trim();
  return t.content.firstElementChild;
}

function replaceById(id, html) {
  const old = document.getElementById(id);
  if (!old) return null;
  const fresh = fromHTML(html);
  old.replaceWith(fresh);
  return fresh;
}

function markSelected() {
  document.querySelectorAll("li.req").forEach((li) => li.classList.toggle("selected", li.dataset.id === state.selected));
}

async function select(id, follow) {
  state.selected = id;
  state.follow = follow;
  markSelected();
  const resp = await fetch(`/requests/${encodeURIComponent(id)}`);
  if (resp.ok && state.selected === id) replaceById("detail", await resp.text());
}

function onRequest(data) {
  const list = $("#requests");
  if (list) {
    const none = $("#no-requests");
    if (none) none.remove();
    if (!replaceById(`req-${data.id}`, data.row)) list.prepend(fromHTML(data.row));
    while (list.children.length > 200) list.lastElementChild.remove();
  }
  // the detail follows the newest request until the user picks one from the list
  if (state.selected === data.id || state.follow) {
    state.selected = data.id;
    replaceById("detail", data.detail);
  }
  markSelected();
}

function onDevice(data) {
  const row = replaceById(data.id, data.html);
  if (row) row.classList.add("flash");
}

function connect() {
  const live = $("#live");
  const source = new EventSource("/events");
  source.onopen = () => { live.textContent = "live"; live.classList.add("on"); };
  source.onerror = () => { live.textContent = "reconnecting…"; live.classList.remove("on"); };
  source.addEventListener("request", (e) => onRequest(JSON.parse(e.data)));
  source.addEventListener("device", (e) => onDevice(JSON.parse(e.data)));
  source.addEventListener("eval", (e) => replaceById("eval-report", JSON.parse(e.data).html));
}

// --- try it ---------------------------------------------------------------------------

function speaker() { return $("#speaker").value; }
function lang() { return $("#lang").value; }
function session() { return state.sessions[speaker()] || ""; }

function showSession() { const s = session(); $("#session").textContent = s ? s.slice(0, 12) : "new"; }

function showAnswer(answer) {
  const box = $("#result");
  box.className = "answer";
  box.replaceChildren();
  const speech = document.createElement("div");
  speech.className = "speech";
  speech.textContent = answer.speech;
  box.append(speech);
  if (answer.media) {
    const m = document.createElement("div");
    m.className = "small";
    m.textContent = `▶ ${answer.media.state}: ${answer.media.title}` + (answer.media.artist.length ? ` — ${answer.media.artist.join(", ")}` : "");
    box.append(m);
  }
  for (const c of answer.citations) {
    const cite = document.createElement("div");
    cite.className = "small muted";
    cite.textContent = `📄 ${c.doc} § ${c.section}`;
    box.append(cite);
  }
  state.sessions[answer.input.speaker] = answer.session_id;
  showSession();
}

function showError(error) {
  const box = $("#result");
  box.className = "answer error";
  box.textContent = `${error.code}: ${error.message}`;
}

async function ask(event) {
  event.preventDefault();
  const text = $("#text").value.trim();
  if (!text) return;
  $("#send").disabled = true;
  try {
    const resp = await fetch("/api/ask", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ text, speaker: speaker(), session: session(), lang: lang() }),
    });
    const body = await resp.json();
    if (body.error) { showError(body.error); return; }
    showAnswer(body.answer);
    $("#text").value = "";
    await select(body.request_id, true);
  } finally {
    $("#send").disabled = false;
  }
}

async function runEval(event) {
  event.preventDefault();
  const resp = await fetch("/api/eval", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ file: $("#case-file").value }),
  });
  const body = await resp.json();
  if (body.error) alert(`${body.error.code}: ${body.error.message}`);
}

async function refreshSchedule() {
  const box = $("#schedule-box");
  const resp = await fetch(`/fragments/schedule?home=${encodeURIComponent(box.dataset.home)}`);
  if (resp.ok) replaceById("schedule", await resp.text());
}

document.addEventListener("DOMContentLoaded", () => {
  connect();
  const form = $("#ask-form");
  if (form) {
    form.addEventListener("submit", ask);
    $("#new-session").addEventListener("click", () => { delete state.sessions[speaker()]; showSession(); });
    $("#speaker").addEventListener("change", showSession);
    $("#requests").addEventListener("click", (e) => {
      const li = e.target.closest("li.req");
      if (li) select(li.dataset.id, false);
    });
    const shown = $("#detail");
    if (shown && shown.dataset.id) { state.selected = shown.dataset.id; markSelected(); }
  }
  const evalForm = $("#eval-form");
  if (evalForm) evalForm.addEventListener("submit", runEval);
  if ($("#schedule-box")) setInterval(refreshSchedule, 5000);
});

window.lingxi = { state, select, showAnswer, showError, speaker, session, lang, onRequest };
