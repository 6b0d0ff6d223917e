// Lingkar Studio: the page. Plain JS, no build step. Everything the bot says is
// drawn with DOM nodes and textContent (never innerHTML), from the text and the
// entities the emulator keeps, exactly as a Telegram client does.
"use strict";

const S = {
  state: null, ui: {}, chats: new Map(), group: null, viewer: null, as: null,
  replyTo: { group: null, dm: null }, unread: new Map(), next: null,
  clockBase: null, clockAt: 0, seenPhotos: new Set(),
};
const $ = (id) => document.getElementById(id);

function t(key, params = {}) {
  const value = S.ui[key];
  if (typeof value !== "string") return key;
  return value.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : ""));
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function api(action, body) {
  const response = await fetch("/studio/api/" + action, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
  });
  const data = await response.json().catch(() => ({ ok: false, error: response.statusText }));
  if (!data.ok) { toast(t("ui.failed", { error: data.error || response.status })); throw new Error(data.error); }
  return data.result;
}

function toast(text) {
  const box = $("toasts");
  const node = el("div", "toast", text);
  box.appendChild(node);
  while (box.children.length > 3) box.firstChild.remove();
  setTimeout(() => node.remove(), 4000);
}

// ---------------------------------------------------------------- state
async function load() {
  const response = await fetch("/studio/api/state");
  const data = await response.json();
  const state = data.result;
  S.state = state;
  S.ui = state.ui;
  S.chats = new Map();
  for (const chat of [...state.groups, ...state.dms]) {
    S.chats.set(chat.id, { ...chat, messages: new Map(chat.messages.map((m) => [m.id, m])) });
  }
  const ids = state.people.map((p) => p.id);
  if (!S.group || !S.chats.has(S.group)) S.group = state.groups.length ? state.groups[0].id : null;
  if (!ids.includes(S.viewer)) S.viewer = ids[0] || null;
  if (!ids.includes(S.as)) S.as = ids[0] || null;
  document.documentElement.lang = state.lang;
  staticTexts();
  renderPeople();
  renderGroupSelect();
  renderAll();
  renderClock(state.clock);
  renderScenarioBar();
  renderScenario(state.scenario);
  renderDebrief(state.debrief);
  refreshNext();
}

function staticTexts() {
  $("title").textContent = t("title");
  $("subtitle").textContent = t("subtitle");
  document.title = t("title");
  $("as-label").textContent = t("ui.as");
  for (const form of document.querySelectorAll(".composer")) {
    form.querySelector("input").placeholder = t("ui.placeholder");
    form.querySelector(".send").textContent = t("ui.send");
  }
  $("plus-5m").textContent = t("clock.plus_5m");
  $("plus-1h").textContent = t("clock.plus_1h");
  $("plus-1d").textContent = t("clock.plus_1d");
  $("clock-label").textContent = t("clock.label");
  $("clock").hidden = !S.state.capabilities.clock;
}

function person(id) { return S.state.people.find((p) => p.id === id); }
function zone() { return (S.state.clock && S.state.clock.zone) || undefined; }
function locale() { return S.state.lang === "id" ? "id-ID" : "en-GB"; }
function fmt(seconds, options) {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone(), ...options }).format(new Date(seconds * 1000));
}
function initials(name) { return (name || "?").split(/\s+/).map((w) => w[0]).join("").slice(0, 2).toUpperCase(); }
function roleLabel(role) { return S.ui["ui." + role] ? t("ui." + role) : role; }

// ---------------------------------------------------------------- people and groups
function renderPeople() {
  const nav = $("people");
  nav.replaceChildren();
  const select = $("as-select");
  select.replaceChildren();
  for (const p of S.state.people) {
    const button = el("button", p.id === S.viewer ? "active" : "");
    button.type = "button";
    button.dataset.person = p.id;
    button.append(el("span", "", p.name), el("span", "role", roleLabel(p.role)));
    const unread = S.unread.get(p.id) || 0;
    if (unread && p.id !== S.viewer) button.append(el("span", "badge", String(unread)));
    button.onclick = () => { S.viewer = p.id; S.unread.delete(p.id); renderPeople(); renderDm(); };
    nav.appendChild(button);
    const option = el("option", "", `${p.name} (${roleLabel(p.role)})`);
    option.value = p.id;
    option.selected = p.id === S.as;
    select.appendChild(option);
  }
  select.onchange = () => { S.as = Number(select.value); renderGroup(); };
}

function renderGroupSelect() {
  const select = $("group-select");
  select.replaceChildren();
  select.hidden = S.state.groups.length < 2;
  for (const g of S.state.groups) {
    const option = el("option", "", g.title);
    option.value = g.id;
    option.selected = g.id === S.group;
    select.appendChild(option);
  }
  select.onchange = () => { S.group = Number(select.value); renderGroup(); };
}

// ---------------------------------------------------------------- messages
const TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "code" };

// Telegram clients make /commands and bare URLs clickable even where the sender
// marked nothing; the studio does the same.
function withAutoEntities(text, entities) {
  const list = [...(entities || [])];
  const free = (offset, length) => !list.some((e) => e.offset < offset + length && e.offset + e.length > offset);
  const patterns = [[/(^|[\s(])(\/[a-z][a-z0-9_]*)/g, "bot_command"], [/(^|\s)(https?:\/\/[^\s]+[^\s.,!?)])/g, "url"]];
  for (const [re, type] of patterns) {
    let match;
    while ((match = re.exec(text))) {
      const offset = match.index + match[1].length;
      if (free(offset, match[2].length)) list.push({ type, offset, length: match[2].length });
    }
  }
  return list;
}

function renderText(text, rawEntities, viewer) {
  const box = el("div", "text");
  const entities = withAutoEntities(text, rawEntities);
  const units = text; // JS strings count UTF-16 units, as Telegram's offsets do
  const cuts = new Set([0, units.length]);
  for (const e of entities || []) { cuts.add(e.offset); cuts.add(e.offset + e.length); }
  const points = [...cuts].filter((n) => n >= 0 && n <= units.length).sort((a, b) => a - b);
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i], end = points[i + 1];
    let node = document.createTextNode(units.slice(start, end));
    const covering = (entities || []).filter((e) => e.offset <= start && e.offset + e.length >= end);
    for (const e of covering.reverse()) {
      let wrap;
      if (TAGS[e.type]) wrap = el(TAGS[e.type]);
      else if (e.type === "text_link" || e.type === "url") {
        const href = e.type === "url" ? units.slice(e.offset, e.offset + e.length) : e.url;
        wrap = el("a"); wrap.href = href; wrap.onclick = (ev) => { ev.preventDefault(); openLink(href, viewer); };
      } else if (e.type === "bot_command") {
        wrap = el("span", "cmd"); wrap.title = t("ui.command_hint");
        const command = units.slice(e.offset, e.offset + e.length);
        wrap.onclick = () => putCommand(command, viewer);
      } else if (e.type === "spoiler") wrap = el("span", "spoiler");
      else if (e.type === "blockquote" || e.type === "expandable_blockquote") wrap = el("span", "quoteblock");
      else continue;
      wrap.appendChild(node);
      node = wrap;
    }
    box.appendChild(node);
  }
  return box;
}

function putCommand(command, viewer) {
  const form = viewer === "group" ? $("group-composer") : $("dm-composer");
  const input = form.querySelector("input");
  input.value = command + " ";
  input.focus();
}

function humanSize(bytes) {
  return bytes > 1024 * 1024 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
}

function messageNode(m, where, me) {
  if (m.service) {
    return el("div", "service", t("service." + m.service.kind, { names: m.service.names }));
  }
  const mine = !m.bot && m.from === me;
  const box = el("div", "msg" + (m.bot ? " bot" : "") + (mine ? " mine" : ""));
  box.dataset.id = m.id;
  const bubble = el("div", "bubble");
  if (!mine && where === "group") {
    const name = el("div", "name", m.name);
    name.style.color = m.bot ? "#3a8bd0" : colour(m.from);
    bubble.appendChild(name);
  }
  if (m.reply_to) {
    const quote = el("div", "quote");
    quote.append(el("b", "", m.reply_to.name), document.createTextNode(m.reply_to.text));
    bubble.appendChild(quote);
  }
  if (m.photo) {
    const img = el("img", "photo");
    img.src = m.photo; img.alt = t("ui.photo");
    if (!S.seenPhotos.has(m.photo)) {
      S.seenPhotos.add(m.photo); // scroll down once, when a new picture has its height
      img.onload = () => { const list = img.closest(".messages"); if (list) list.scrollTop = list.scrollHeight; };
    }
    img.onclick = () => window.open(m.photo, "_blank");
    bubble.appendChild(img);
  }
  if (m.document) {
    const link = el("a", "doc");
    link.href = m.document.url; link.download = m.document.name;
    const label = el("span");
    label.append(document.createTextNode(m.document.name), el("small", "", `${humanSize(m.document.size)} · ${t("ui.download")}`));
    link.append(el("span", "icon", "⬇"), label);
    bubble.appendChild(link);
  }
  if (m.text) bubble.appendChild(renderText(m.text, m.entities, where === "group" ? "group" : "dm"));
  const meta = el("div", "meta");
  const reply = el("button", "reply-btn", t("ui.reply"));
  reply.type = "button";
  reply.onclick = () => setReply(where, m);
  meta.append(reply);
  if (m.edited) meta.append(el("span", "", t("ui.edited")));
  meta.append(el("time", "", fmt(m.date, { hour: "2-digit", minute: "2-digit" })));
  bubble.appendChild(meta);
  box.appendChild(bubble);
  if (m.buttons && m.buttons.length) box.appendChild(keyboard(m, where));
  return box;
}

function keyboard(m, where) {
  const board = el("div", "keyboard");
  m.buttons.forEach((row, r) => {
    const line = el("div", "row");
    row.forEach((b, c) => {
      const button = el("button", b.url ? "link" : "", b.text);
      button.type = "button";
      button.onclick = async () => {
        const who = where === "group" ? S.as : S.viewer;
        if (b.url) return openLink(b.url, where === "group" ? "group" : "dm");
        button.disabled = true;
        try { await api("press", { user: who, chat: m.chat, message: m.id, row: r, col: c }); }
        catch (_) { /* told in a toast */ }
        finally { button.disabled = false; }
      };
      line.appendChild(button);
    });
    board.appendChild(line);
  });
  return board;
}

function colour(id) {
  const palette = ["#c0392b", "#2e86c1", "#239b56", "#b9770e", "#7d3c98", "#148f77", "#a04000", "#1f618d"];
  return palette[Math.abs(Number(id) || 0) % palette.length];
}

async function openLink(url, where) {
  let parsed;
  try { parsed = new URL(url); } catch (_) { return; }
  const bot = (S.state.bot.username || "").toLowerCase();
  const host = parsed.hostname.toLowerCase();
  if ((host === "t.me" || host === "telegram.me") && parsed.pathname.replace(/\//g, "").toLowerCase() === bot) {
    const who = where === "group" ? S.as : S.viewer;
    await api("link", { user: who, url });
    S.viewer = who;
    renderPeople();
    renderDm();
    toast(t("ui.link_opened", { name: (person(who) || {}).name }));
    return;
  }
  toast(t("ui.link_elsewhere"));
}

function setReply(where, m) {
  const form = where === "group" ? $("group-composer") : $("dm-composer");
  S.replyTo[where] = m.id;
  const chip = form.querySelector(".reply-chip");
  chip.replaceChildren(el("span", "", t("ui.replying_to", { name: m.name })));
  const cancel = el("button", "", t("ui.cancel"));
  cancel.type = "button";
  cancel.onclick = () => { S.replyTo[where] = null; chip.hidden = true; };
  chip.appendChild(cancel);
  chip.hidden = false;
  form.querySelector("input").focus();
}

function renderMessages(container, chat, where, me) {
  const stick = container.scrollHeight - container.scrollTop - container.clientHeight < 60;
  container.replaceChildren();
  let day = null;
  for (const m of chat.messages.values()) {
    if (m.deleted) continue;
    const thisDay = fmt(m.date, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
    if (thisDay !== day) { container.appendChild(el("div", "day", thisDay)); day = thisDay; }
    container.appendChild(messageNode(m, where, me));
  }
  if (stick || container.dataset.chat !== String(chat.id)) container.scrollTop = container.scrollHeight;
  container.dataset.chat = chat.id;
}

function renderGroup() {
  const chat = S.chats.get(S.group);
  const box = $("group-messages");
  if (!chat) {
    box.replaceChildren(el("div", "empty", t("ui.no_group")));
    $("group-title").textContent = t("ui.group");
    return;
  }
  $("group-title").textContent = chat.title;
  $("group-avatar").textContent = initials(chat.title);
  const sub = $("group-sub");
  const admin = chat.bot_status === "administrator";
  sub.textContent = t("ui.members_count", { count: chat.members }) + " · " + (admin ? t("ui.bot_admin") : t("ui.bot_member"));
  sub.className = "chat-sub" + (admin ? "" : " warn");
  renderMessages(box, chat, "group", S.as);
}

function renderDm() {
  const p = person(S.viewer);
  const box = $("dm-messages");
  if (!p) { box.replaceChildren(); return; }
  $("dm-title").textContent = t("ui.private_with", { name: p.name, bot: S.state.bot.name });
  $("dm-sub").textContent = roleLabel(p.role);
  $("dm-avatar").textContent = initials(p.name);
  const chat = S.chats.get(p.id);
  if (!chat || chat.messages.size === 0) {
    const empty = el("div", "empty", t("ui.empty_dm", { name: p.name }));
    const start = el("button", "", t("ui.start"));
    start.type = "button";
    start.onclick = () => api("send", { user: p.id, chat: "dm", text: "/start" });
    empty.appendChild(start);
    box.replaceChildren(empty);
    box.dataset.chat = "";
    return;
  }
  renderMessages(box, chat, "dm", p.id);
}

function renderAll() { renderGroup(); renderDm(); }

// ---------------------------------------------------------------- composing
function composer(form, where) {
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    const input = form.querySelector("input");
    const text = input.value.trim();
    if (!text) return;
    const body = where === "group"
      ? { user: S.as, chat: S.group, text }
      : { user: S.viewer, chat: "dm", text };
    if (S.replyTo[where]) body.reply_to = S.replyTo[where];
    input.value = "";
    S.replyTo[where] = null;
    form.querySelector(".reply-chip").hidden = true;
    try { await api("send", body); } catch (_) { input.value = text; }
  };
}

// ---------------------------------------------------------------- the clock
function renderClock(clock) {
  if (!clock) return;
  S.state.clock = clock;
  S.clockBase = Date.parse(clock.now);
  S.clockAt = Date.now();
  paintClock();
}

function paintClock() {
  if (!S.clockBase || !S.state.clock) return;
  const running = S.state.clock.running ? Date.now() - S.clockAt : 0;
  const seconds = (S.clockBase + running) / 1000;
  $("clock-time").textContent = fmt(seconds, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

function renderNext(next) {
  S.next = next;
  const button = $("clock-next");
  if (!next) { button.textContent = t("clock.nothing_next"); button.disabled = true; return; }
  button.disabled = false;
  const what = S.ui["clock.kinds." + next.kind] ? t("clock.kinds." + next.kind) : t("clock.kinds.other");
  const when = fmt(Date.parse(next.at) / 1000, { weekday: "short", hour: "2-digit", minute: "2-digit" });
  button.textContent = "⏭ " + t("clock.next", { what, when });
}

let nextTimer = null;
function refreshNext() {
  if (!S.state || !S.state.capabilities.clock) return;
  clearTimeout(nextTimer);
  nextTimer = setTimeout(async () => {
    try { renderNext((await api("next")).next); } catch (_) { /* toast shown */ }
  }, 300);
}

async function jump(body) {
  const buttons = document.querySelectorAll("#clock button");
  buttons.forEach((b) => (b.disabled = true));
  try {
    const result = await api("clock", body);
    renderClock(result.clock);
    renderNext(result.next);
  } catch (_) { /* toast shown */ }
  finally { buttons.forEach((b) => (b.disabled = false)); if (!S.next) $("clock-next").disabled = true; }
}

// ---------------------------------------------------------------- scenarios and the debrief
function renderScenarioBar() {
  const bar = $("scenario-bar");
  bar.hidden = !S.state.capabilities.scenarios;
  if (bar.hidden) return;
  const select = $("scenario-select");
  select.replaceChildren();
  const free = el("option", "", t("scenarios.free"));
  free.value = "";
  select.appendChild(free);
  for (const sc of S.state.scenarios || []) {
    const option = el("option", "", sc.title);
    option.value = sc.id;
    option.selected = S.state.scenario && S.state.scenario.id === sc.id;
    select.appendChild(option);
  }
  $("scenario-start").textContent = S.state.scenario ? t("scenarios.restart") : t("scenarios.start");
  $("debrief-open").textContent = t("scenarios.debrief");
}

function renderScenario(scenario) {
  const box = $("scenario-status");
  $("debrief-open").hidden = !scenario;
  if (!scenario) { box.hidden = true; return; }
  box.replaceChildren(
    el("h2", "", t("scenarios.running", { title: scenario.title })),
    el("p", "", scenario.brief),
    el("p", "", t("scenarios.hint", { name: scenario.facilitator })),
  );
  if (scenario.done) box.appendChild(el("p", "done", t("scenarios.done")));
  box.dataset.done = scenario.done ? "1" : "0";
  box.hidden = false;
}

function renderDebrief(debrief) {
  const box = $("debrief");
  if (!debrief) { box.hidden = true; return; }
  const close = el("button", "close", t("ui.close"));
  close.type = "button";
  close.onclick = () => { box.hidden = true; };
  box.replaceChildren(close, el("h2", "", debrief.title));
  for (const section of debrief.sections) {
    const part = el("section");
    part.appendChild(el("h3", "", section.heading));
    if (section.image) { const img = el("img"); img.src = section.image; img.alt = section.heading; part.appendChild(img); }
    for (const line of section.lines) part.appendChild(el("div", "line", line));
    if (section.link) {
      const link = el("a", "doc");
      link.href = section.link.url; link.download = section.link.name;
      link.append(el("span", "icon", "⬇"), el("span", "", section.link.name));
      part.appendChild(link);
    }
    box.appendChild(part);
  }
  box.hidden = false;
}

async function startScenario() {
  const id = $("scenario-select").value;
  $("scenario-start").disabled = true;
  try { await api("scenario", { id }); } catch (_) { /* toast shown */ }
  finally { $("scenario-start").disabled = false; }
}

async function openDebrief() {
  $("debrief-open").disabled = true;
  try { renderDebrief((await api("debrief")).debrief); } catch (_) { /* toast shown */ }
  finally { $("debrief-open").disabled = false; }
}

// ---------------------------------------------------------------- live updates
function onEvent(event) {
  if (!S.state) return; // the state being loaded already holds it
  if (event.type === "reset") return load();
  if (event.type === "clock") { renderClock(event.clock); if (event.next !== undefined) renderNext(event.next); return; }
  if (event.type === "answer") {
    if (event.text) toast(`${(person(event.user) || {}).name || ""}: ${event.text}`);
    return;
  }
  if (event.type === "chat") {
    const chat = S.chats.get(event.chat.id);
    if (chat) Object.assign(chat, event.chat); else { load(); return; }
    renderGroup();
    return;
  }
  if (event.type === "scenario") { S.state.scenario = event.scenario; renderScenario(event.scenario); return; }
  if (event.type === "debrief") { S.state.debrief = event.debrief; renderDebrief(event.debrief); return; }
  if (!event.message) return;
  const m = event.message;
  let chat = S.chats.get(m.chat);
  if (!chat) { load(); return; }
  if (event.type === "delete") chat.messages.delete(m.id);
  else chat.messages.set(m.id, m);
  if (chat.type === "private") {
    if (chat.user !== S.viewer && event.type === "message" && m.bot) {
      S.unread.set(chat.user, (S.unread.get(chat.user) || 0) + 1);
      renderPeople();
    }
    if (chat.user === S.viewer) renderDm();
  } else if (chat.id === S.group) renderGroup();
  if (m.bot) refreshNext();
}

function connect() {
  const source = new EventSource("/studio/events");
  let lost = false;
  source.onmessage = (ev) => onEvent(JSON.parse(ev.data));
  source.onerror = () => { lost = true; $("banner").textContent = t("ui.connection_lost"); $("banner").hidden = false; };
  source.onopen = () => { $("banner").hidden = true; if (lost) { lost = false; load(); } };
}

// ---------------------------------------------------------------- start
window.addEventListener("DOMContentLoaded", async () => {
  composer($("group-composer"), "group");
  composer($("dm-composer"), "dm");
  for (const id of ["plus-5m", "plus-1h", "plus-1d"]) {
    $(id).onclick = () => jump({ minutes: Number($(id).dataset.minutes) });
  }
  $("clock-next").onclick = () => jump({ to: "next" });
  $("scenario-start").onclick = startScenario;
  $("debrief-open").onclick = openDebrief;
  setInterval(paintClock, 1000);
  connect();
  await load();
  document.body.dataset.ready = "1";
});
