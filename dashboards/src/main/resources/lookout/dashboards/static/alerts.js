// The alerts page's live part. The server renders the list; this script opens the page's live stream of
// server-sent events (the restricted or the public one, named by the page), draws the alerts that arrive with the
// same markup as AlertsPage.card, keeps "2 hours ago" current, and marks the page ready once the list is drawn.
"use strict";
(() => {
  const root = document.getElementById("alerts");
  const status = document.getElementById("live-status");
  const lists = {open: document.getElementById("open-alerts"), closed: document.getElementById("closed-alerts")};
  // "Mon 2 Mar 2026, 14:00" in the city's time zone, as AlertWords.local says it.
  const local = lookoutLocalTime(root.dataset.zone);

  // "just now", "5 minutes ago", "2 hours ago", ... as AlertWords.relative says it.
  function relative(iso, now) {
    const ms = now - Date.parse(iso);
    const minutes = Math.floor(Math.abs(ms) / 60000);
    if (minutes < 1) return "just now";
    const steps = [[60, 1, "minute"], [1440, 60, "hour"], [43200, 1440, "day"], [525600, 43200, "month"], [Infinity, 525600, "year"]];
    const [, size, unit] = steps.find(([limit]) => minutes < limit);
    const n = Math.floor(minutes / size);
    const amount = `${n} ${unit}${n === 1 ? "" : "s"}`;
    return ms < 0 ? `in ${amount}` : `${amount} ago`;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  const capitalised = s => s.charAt(0).toUpperCase() + s.slice(1);
  const fact = (label, value) => el("div", null, el("dt", null, label), el("dd", null, value));
  const time = (label, iso) => el("div", null, el("dt", null, label),
    el("dd", null, el("time", {datetime: iso}, local(iso)), " ", el("span", {class: "ago"}, `(${relative(iso, Date.now())})`)));

  function card(a) {
    const area = el("a", {href: `/areas/${encodeURIComponent(a.area_id)}`}, a.zone_name || a.area_name);
    const facts = el("dl", {class: "facts"}, time("Opened", a.opened_at));
    if ("updated_at" in a) facts.append(time("Last changed", a.updated_at));
    if (a.closed_at) facts.append(time("Closed", a.closed_at));
    if (!("explanation" in a) && a.observed != null) facts.append(fact("Count", String(a.observed)));
    const li = el("li", {class: `alert sev-${a.severity}`, id: `alert-${a.spike_id}`, "data-key": a.spike_id},
      el("h3", null, el("span", {class: "severity"}, capitalised(a.severity)), " ",
        el("span", {class: "signal"}, capitalised(a.signal_name)), " in ", area),
      facts);
    if (a.explanation) li.append(el("p", {class: "explanation"}, a.explanation));
    if (a.evidence && a.evidence.length) {
      li.append(el("h4", null, "Evidence"), el("dl", {class: "evidence"}, ...a.evidence.map(l => fact(l.label, l.value))));
    }
    return li;
  }

  function counts() {
    for (const [name, list] of Object.entries(lists)) {
      document.getElementById(`${name}-count`).textContent = `(${list.children.length})`;
    }
  }

  function refreshTimes() {
    const now = Date.now();
    for (const t of root.querySelectorAll("li.alert time")) {
      t.textContent = local(t.dateTime);
      t.nextElementSibling.textContent = `(${relative(t.dateTime, now)})`;
    }
  }

  // Every alert the caller may see: the lists are replaced, in the server's order.
  function current(alerts) {
    lists.open.replaceChildren(...alerts.filter(a => !a.closed_at).map(card));
    lists.closed.replaceChildren(...alerts.filter(a => a.closed_at).map(card));
    counts();
    linkedAlert();
  }

  // New and changed alerts go to the top of their list, the batch's first on top, marked until the next batch.
  function changed(alerts) {
    for (const old of root.querySelectorAll("li.alert.arrived")) {
      old.classList.remove("arrived");
      old.querySelector(".fresh")?.remove();
    }
    for (const a of [...alerts].reverse()) {
      const previous = root.querySelector(`li.alert[data-key="${CSS.escape(a.spike_id)}"]`);
      const li = card(a);
      li.classList.add("arrived");
      li.querySelector("h3").append(el("span", {class: "fresh"}, previous ? "Updated" : "New"));
      previous?.remove();
      (a.closed_at ? lists.closed : lists.open).prepend(li);
    }
    counts();
    linkedAlert();
    const n = alerts.length;
    status.textContent = `Live: ${n} ${n === 1 ? "alert" : "alerts"} new or changed at ${local(new Date().toISOString()).slice(-5)}.`;
  }

  // A message links to its alert's card (#alert-SPIKE), which the page outlines (alerts.css). Signing in from here
  // comes back to it; an alert the list does not hold (a restricted one on the public page, one closed long ago) is
  // said to be missing rather than left for the reader to search for.
  function linkedAlert() {
    const id = location.hash.slice(1);
    if (!/^alert-[A-Za-z0-9_-]{1,100}$/.test(id)) return;
    for (const a of document.querySelectorAll('a[href^="/login"]')) {
      a.href = `/login?next=${encodeURIComponent(`${location.pathname}#${id}`)}`;
    }
    document.getElementById("linked-alert").hidden = document.getElementById(id) !== null;
  }

  linkedAlert();
  window.addEventListener("hashchange", linkedAlert);
  refreshTimes();
  setInterval(refreshTimes, 60000);
  const source = new EventSource(`${root.dataset.stream}?since=${encodeURIComponent(root.dataset.version)}`);
  source.addEventListener("open", () => {
    status.dataset.state = "live";
    status.textContent = "Live: new and changed alerts appear here as they are published.";
  });
  source.addEventListener("error", () => {
    // The browser reconnects by itself unless the server refused the stream (for example, too many are open).
    const closed = source.readyState === EventSource.CLOSED;
    status.dataset.state = closed ? "off" : "waiting";
    status.textContent = closed ? "Live updates are not available now; reload the page later."
      : "Live updates interrupted; trying again\u2026";
  });
  source.addEventListener("current", e => current(JSON.parse(e.data)));
  source.addEventListener("changed", e => changed(JSON.parse(e.data)));
  document.documentElement.dataset.ready = "true";
})();
