/* The area page's charts, detector table and drug-checking panel, drawn from the API with the session cookie.
   Each chart's container gets data-points (how many buckets it draws) and data-marks (how many are marked), which
   say in words what the canvas shows, and the daily chart data-shown (how many of its days are in view, fewer once
   zoomed in); the page sets data-ready once everything is drawn. */
(function () {
  "use strict";
  const root = document.getElementById("area-charts");
  const area = root.dataset.area;
  const analyst = root.dataset.analyst === "true";
  const zone = root.dataset.zone;
  const when = lookoutLocalTime(zone);
  const HOUR = 3600, DAY = 24 * HOUR, HOURS_SHOWN = 14 * 24, DETECTOR_ROWS = 15;
  /**
   * The start of the newest hour counted in the city (seconds; 0 before any), where the hourly chart ends: ended at
   * the area's own last count, a quiet area's chart showed a fortnight weeks old as the last 14 days.
   */
  const newestHour = root.dataset.newestHour ? Date.parse(root.dataset.newestHour) / 1000 : 0;
  /**
   * The time axes' labels in the order the page's words write dates, "15 Feb" and "14:00", where uPlot's own are
   * "2/15" and "2pm": [smallest tick step in seconds, label, label where the year, month, day, hour, minute or second
   * changes, 1 to add that one below the label].
   */
  const TIME_AXIS = [
    [365 * DAY, "{YYYY}", null, null, null, null, null, null, 1],
    [28 * DAY, "{MMM}", "\n{YYYY}", null, null, null, null, null, 1],
    [DAY, "{D} {MMM}", "\n{YYYY}", null, null, null, null, null, 1],
    [HOUR, "{HH}:{mm}", "\n{D} {MMM} {YYYY}", null, "\n{D} {MMM}", null, null, null, 1]
  ];
  const select = document.getElementById("signal");
  const css = getComputedStyle(document.documentElement);
  const colour = (name) => css.getPropertyValue(name).trim();
  const plots = {};

  async function get(path) {
    const r = await fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await r.json();
    if (!r.ok) {
      throw new Error(body.error || "the server refused (" + r.status + ")");
    }
    return body;
  }

  function text(el, s) {
    el.textContent = s;
    return el;
  }

  function cell(row, value) {
    row.appendChild(text(document.createElement("td"), value));
  }

  function markerSeries(label) {
    return {
      label: label, stroke: colour("--status-high"), fill: colour("--status-high"), width: 0,
      paths: () => null, points: { show: true, size: 9 }
    };
  }

  /** Shades the time windows [start, end) behind a chart's lines; the list of alerts below says them in words. */
  function shade(windows) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(213, 94, 0, 0.12)";
      windows.forEach(([s, e]) => {
        const x0 = Math.max(u.bbox.left, u.valToPos(s, "x", true));
        const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(e, "x", true));
        if (x1 > x0) {
          ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
        }
      });
      ctx.restore();
    };
  }

  /**
   * Shades in grey the stretches [start, end) of the x axis (seconds; a null end: to the right edge) in which the
   * counts are incomplete, not "usual", because a feed this signal is counted from was silent or bad.
   */
  function shadeIncomplete(stretches) {
    return (u) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = "rgba(90, 90, 90, 0.22)";
      stretches.forEach(([s, e]) => {
        const x0 = Math.max(u.bbox.left, u.valToPos(s, "x", true));
        const x1 = e == null ? u.bbox.left + u.bbox.width
          : Math.min(u.bbox.left + u.bbox.width, u.valToPos(e, "x", true));
        if (x1 > x0) {
          ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
        }
      });
      ctx.restore();
    };
  }

  /** The incomplete periods as stretches of the hourly chart's axis, whose points are instants. */
  function periodStretches(periods) {
    return periods.map((p) => [Date.parse(p.since) / 1000, p.until == null ? null : Date.parse(p.until) / 1000]);
  }

  /** Whether one of the stretches overlaps the hour starting at {@code t} (seconds). */
  function hourIncomplete(stretches, t) {
    return stretches.some(([s, e]) => s < t + HOUR && (e == null || e > t));
  }

  /** The incomplete periods in words, for the charts' summaries. */
  function incompleteWords(periods) {
    if (periods.length === 0) {
      return "";
    }
    return " Data incomplete (shaded grey): " + periods.map((p) => "the " + p.source.replace("_", " ") + " feed "
      + (p.status === "silent" ? "sent nothing" : "sent mostly unreadable records") + " from " + when(p.since)
      + (p.until == null ? " and still does" : " to " + when(p.until))).join("; ") + ".";
  }

  /** The CSV text of rows under a header: CRLF line ends (RFC 4180); every cell is a number, a date or a word. */
  function csv(header, rows) {
    return [header].concat(rows).map((r) => r.map((v) => (v == null ? "" : String(v))).join(",") + "\r\n").join("");
  }

  /** A number as the download gives it: at most 3 decimals, none where it is whole. */
  function decimal(v) {
    return v == null ? null : Number(v.toFixed(3));
  }

  /** Points a chart's download at the rows it drew, or hides it when it drew none; frees the file it offered before. */
  function offer(figureId, name, header, rows) {
    const box = document.querySelector("#" + figureId + " .download");
    const link = box.querySelector("a");
    if (link.href) {
      URL.revokeObjectURL(link.href);
      link.removeAttribute("href");
    }
    box.hidden = rows.length === 0;
    if (rows.length) {
      link.href = URL.createObjectURL(new Blob([csv(header, rows)], { type: "text/csv;charset=utf-8" }));
      link.download = name;
    }
  }

  /** The download's file name: the area, signal and chart, and the last date it holds. */
  function fileName(signal, what, last) {
    return "lookout-" + area + "-" + signal + "-" + what + "-to-" + last + ".csv";
  }

  const localParts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZoneName: "longOffset"
  });

  /** An instant (seconds) as the city's local time with its offset, e.g. 2026-02-28T21:00-05:00. */
  function localIso(seconds) {
    const p = {};
    localParts.formatToParts(new Date(seconds * 1000)).forEach((part) => { p[part.type] = part.value; });
    const offset = p.timeZoneName === "GMT" ? "Z" : p.timeZoneName.replace("GMT", "");
    return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute + offset;
  }

  function draw(id, opts, data) {
    const figure = document.getElementById(id);
    const box = figure.querySelector(".plot");
    if (plots[id]) {
      plots[id].destroy();
    }
    opts.width = Math.max(280, box.clientWidth);
    opts.height = window.innerWidth < 600 ? 200 : 260;
    opts.legend = { live: false };
    // A zoom would leave a chart's download holding days it no longer shows: only the daily chart, whose words and
    // download follow the days in view, lets a drag zoom in.
    opts.cursor = { drag: { x: id === "chart-day", y: false } };
    plots[id] = new uPlot(opts, data, box);
    figure.dataset.points = String(data[0].length);
    figure.dataset.marks = String(data[data.length - 1].filter((v) => v != null).length);
  }

  /**
   * The daily chart's period: how many of the last days it draws (null: every day). A phone's plot gives 8 weeks
   * about 4 px a day, a year under 1; the widest column (72rem) gives a year under 3 px a day, too few to read the
   * recent weeks by, and 26 weeks about 6, so a wide screen starts there; "Everything" is a press away.
   */
  let period = window.innerWidth < 600 ? 56 : 182;
  const periodButtons = document.querySelectorAll("#chart-day .period button");
  /** Draws the daily chart of the signal shown again, over the period chosen; set once its days are loaded. */
  let redrawDaily = () => {};

  /** Shows which period is drawn, to the eye (area.css fills it) and to a screen reader (aria-pressed). */
  function pressPeriod() {
    periodButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.days === String(period ?? "all"))));
  }

  /** The incomplete periods that reach into the days from {@code first} (a local date) on. */
  function incompleteSince(incomplete, first) {
    return incomplete.filter((p) => p.until == null || localIso(Date.parse(p.until) / 1000 - 1).slice(0, 10) >= first);
  }

  function dailyChart(signal, name, every, incomplete, watched) {
    // The server gives every local date from the first counted on, so the last n days are the last n entries.
    const days = period == null ? every : every.slice(-period);
    const point = (d) => Date.parse(d.day + "T00:00:00Z") / 1000;
    const x = days.map(point);
    const incompleteDays = days.filter((d) => d.incomplete);
    const counts = days.map((d) => d.count);
    const expected = days.map((d) => d.expected);
    const upper = days.map((d) => d.upper);
    const marks = days.map((d) => (d.alarm ? d.count : null));
    // A drag across the chart zooms in (uPlot's, with a mouse): the words and the download then follow the days in
    // view, so the file still holds what the chart shows.
    const inView = (u) => days.filter((d) => point(d) >= u.scales.x.min && point(d) <= u.scales.x.max);
    draw("chart-day", {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      // The daily axis puts each local date at its midnight in UTC, so a period is shaded as the local days it
      // touched (the server's flag, which the download gives too), each a day wide around its point.
      hooks: {
        drawAxes: [shadeIncomplete(incompleteDays.map((d) => [point(d) - 12 * HOUR, point(d) + 12 * HOUR]))],
        setScale: [(u, key) => key === "x" && describeDays(signal, inView(u), days.length, incomplete, watched)]
      },
      series: [
        {},
        { label: "Usual: expected", stroke: colour("--status-usual"), width: 1, dash: [4, 4] },
        { label: "Usual: most without alarm", stroke: colour("--status-usual"), width: 1 },
        { label: name, stroke: colour("--ink"), width: 1.5 },
        markerSeries("Alarm")
      ],
      bands: [{ series: [2, 1], fill: "rgba(86, 180, 233, 0.3)" }],
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
      axes: [{ values: TIME_AXIS }, { label: "per day" }]
    }, [x, expected, upper, counts, marks]);
    describeDays(signal, days, days.length, incomplete, watched);
  }

  /**
   * Says in words the days the daily chart shows ({@code shown}, of the {@code drawn} of its period) and offers
   * them for download, under a name that says from when to when.
   */
  function describeDays(signal, shown, drawn, incomplete, watched) {
    const figure = document.getElementById("chart-day");
    const alarms = shown.filter((d) => d.alarm).length;
    const banded = shown.filter((d) => d.expected != null).length;
    const first = shown.length ? shown[0].day : "";
    const last = shown.length ? shown[shown.length - 1].day : "";
    const reached = incompleteSince(incomplete, first);
    const zoomed = shown.length < drawn ? " (zoomed in; double-click the chart to zoom out)" : "";
    if (drawn === 0) {
      text(figure.querySelector(".summary"), "Nothing counted for this signal here yet.");
    } else if (shown.length === 0) {
      text(figure.querySelector(".summary"), "No whole day in view; double-click the chart to zoom out.");
    } else {
      const judged = !watched ? "no detector watches this signal, so it has no usual range and no alarms."
        : (banded ? "usual range known for " + banded + " of them; " : "no usual range yet (too little history); ")
          + (alarms === 1 ? "1 day with an alarm." : alarms + " days with an alarm.");
      const span = shown.length === 1 ? "1 day, " + lookoutDays(first, last)
        : shown.length + " days from " + lookoutDays(first, last);
      text(figure.querySelector(".summary"), span + zoomed + "; " + judged + incompleteWords(reached));
    }
    figure.dataset.shown = String(shown.length);
    figure.dataset.incomplete = String(reached.length);
    figure.dataset.incompleteDays = shown.filter((d) => d.incomplete).map((d) => d.day).join(" ");
    offer("chart-day", fileName(signal, "days-from-" + first, last),
      ["date", "count", "expected", "most_without_alarm", "alarm", "data_incomplete"],
      shown.map((d) => [d.day, d.count, decimal(d.expected), decimal(d.upper), d.alarm, d.incomplete]));
  }

  function hourlyChart(signal, name, series, alerts, incomplete) {
    const summary = document.querySelector("#chart-hour .summary");
    const byHour = new Map(series.map((p) => [Date.parse(p.bucket_start) / 1000, p.count]));
    const last = series.length ? Math.max(newestHour, Date.parse(series[series.length - 1].bucket_start) / 1000) : 0;
    const x = [], counts = [], marks = [];
    if (series.length) {
      for (let t = last - (HOURS_SHOWN - 1) * HOUR; t <= last; t += HOUR) {
        x.push(t);
        counts.push(byHour.get(t) || 0);
      }
    }
    const windows = alerts.map((a) => [Date.parse(a.window_start) / 1000, Date.parse(a.window_end) / 1000]);
    const inAlert = x.map((t) => windows.some(([s, e]) => t >= s && t < e));
    const stretches = periodStretches(incomplete);
    x.forEach((t, i) => marks.push(counts[i] > 0 && inAlert[i] ? counts[i] : null));
    draw("chart-hour", {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
      hooks: { drawAxes: [shade(windows), shadeIncomplete(stretches)] },
      series: [{}, { label: name, stroke: colour("--ink"), width: 1 }, markerSeries("Counted in an alert's window")],
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
      axes: [{ values: TIME_AXIS }, { label: "per hour" }]
    }, [x, counts, marks]);
    const inWindows = inAlert.filter((inside) => inside).length;
    const total = counts.reduce((sum, c) => sum + c, 0);
    text(summary, series.length
      ? "The 14 days to the end of the newest hour counted, " + when((last + HOUR) * 1000) + ": " + total + " counted; "
        + (inWindows ? inWindows + " hours inside an alert's window." : "no alert in these hours.")
        + incompleteWords(incomplete)
      : "Nothing counted for this signal here yet.");
    document.getElementById("chart-hour").dataset.incomplete = String(incomplete.length);
    offer("chart-hour", fileName(signal, "hours", x.length ? localIso(last).slice(0, 10) : ""),
      ["hour_start", "count", "in_alert_window", "data_incomplete"],
      x.map((t, i) => [localIso(t), counts[i], inAlert[i], hourIncomplete(stretches, t)]));
  }

  function alertList(alerts) {
    const list = document.querySelector("#alert-windows ul");
    list.replaceChildren();
    if (alerts.length === 0) {
      list.appendChild(text(document.createElement("li"), "No alert for this signal here."));
    }
    alerts.slice().reverse().forEach((a) => {
      const what = a.signal === "multi" ? "Toxicity alert (drug checking and overdoses together), " : "";
      list.appendChild(text(document.createElement("li"), what + a.severity + ", "
        + (a.closed_at == null ? "open" : "closed") + ": about " + when(a.window_start) + " to " + when(a.window_end)));
    });
  }

  function detectorTable(rows, watched) {
    const body = document.querySelector("#detector-alarms tbody");
    if (!body) {
      return;
    }
    body.replaceChildren();
    if (rows.length === 0) {
      const tr = body.insertRow();
      cell(tr, watched ? "No detector alarmed for this signal here." : "No detector watches this signal.");
    }
    const more = document.querySelector("#detector-alarms .more");
    more.hidden = rows.length <= DETECTOR_ROWS;
    more.querySelector("button").textContent = "Show all " + rows.length + " alarms (newest " + DETECTOR_ROWS + " shown)";
    more.querySelector("button").onclick = () => {
      more.hidden = true;
      rows.slice(DETECTOR_ROWS).forEach(row);
    };
    rows.slice(0, DETECTOR_ROWS).forEach(row);

    function row(r) {
      const tr = body.insertRow();
      const day = tr.insertCell().appendChild(text(document.createElement("time"), lookoutDay(r.day)));
      day.dateTime = r.day;
      cell(tr, r.method);
      cell(tr, String(r.observed));
      cell(tr, r.expected == null ? "not known" : r.expected.toFixed(1));
      cell(tr, r.upperbound == null ? "not known" : r.upperbound.toFixed(1));
    }
  }

  /** The last 8 weeks' counts so far beside the counts expected once late reports are in, in a chart, words and a table. */
  function nowcastPanel(signal, n) {
    const box = document.getElementById("nowcast");
    text(box.querySelector(".summary"), n.summary);
    const x = n.days.map((d) => Date.parse(d.start + "T00:00:00Z") / 1000);
    draw("chart-nowcast", {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      series: [
        {},
        { label: "Likely: low", stroke: colour("--status-usual"), width: 1 },
        { label: "Likely: high", stroke: colour("--status-usual"), width: 1 },
        { label: "Expected in the end", stroke: colour("--status-high"), width: 1.5, dash: [6, 4] },
        { label: "Reported so far", stroke: colour("--ink"), width: 1.5 }
      ],
      bands: [{ series: [2, 1], fill: "rgba(86, 180, 233, 0.3)" }],
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
      axes: [{ values: TIME_AXIS }, { label: "per day" }]
    }, [x, n.days.map((d) => d.lower), n.days.map((d) => d.upper), n.days.map((d) => d.expected),
      n.days.map((d) => d.reported)]);
    document.getElementById("chart-nowcast").dataset.estimated = String(n.days.filter((d) => d.expected != null).length);
    offer("chart-nowcast", fileName(signal, "still-to-come", n.days.length ? n.days[n.days.length - 1].start : ""),
      ["date", "reported_so_far", "expected_in_the_end", "likely_low", "likely_high"],
      n.days.map((d) => [d.start, d.reported, decimal(d.expected), d.lower, d.upper]));
    const body = document.querySelector("#nowcast-weeks tbody");
    body.replaceChildren();
    // A day stays on one line in the phone's narrow column: "22 Jun to / 28 Jun".
    const day = (d) => lookoutShortDay(d).replace(" ", "\u00a0");
    n.weeks.slice().reverse().forEach((w) => {
      const row = body.insertRow();
      cell(row, day(w.start) + " to " + day(w.end));
      cell(row, String(w.reported));
      cell(row, w.expected == null ? "too early to say" : String(Math.round(w.expected)));
      cell(row, w.expected == null ? "" : w.lower === w.upper ? "all in" : w.lower + " to " + w.upper);
    });
  }

  async function drawSignal() {
    document.documentElement.dataset.ready = "false";
    const signal = select.value;
    const name = select.options[select.selectedIndex].text;
    const base = "/api/areas/" + encodeURIComponent(area);
    try {
      const [alarms, hours, nowcast] = await Promise.all([
        get(base + "/alarms?signal=" + signal),
        get(base + "/series?signal=" + signal + "&granularity=hour"),
        get(base + "/nowcast?signal=" + signal)
      ]);
      const incomplete = alarms.incomplete || [];
      const watched = alarms.band_method != null;
      redrawDaily = () => dailyChart(signal, name, alarms.days, incomplete, watched);
      redrawDaily();
      hourlyChart(signal, name, hours, alarms.alerts, incomplete);
      alertList(alarms.alerts);
      nowcastPanel(signal, nowcast);
      if (analyst) {
        detectorTable(alarms.detector_alarms, watched);
      }
    } catch (e) {
      text(document.querySelector("#chart-day .summary"), "Could not load the counts: " + e.message);
    }
  }

  /** One table of findings (the area's or the city's) under the heading in {@code box}. */
  function findings(box, block, period, where) {
    const summary = box.querySelector(".summary");
    const table = box.querySelector("table");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    if (typeof block.samples === "string" && block.samples.startsWith("fewer than")) {
      text(summary, "Samples checked " + where + " in " + period + ": " + block.samples + ", too few to show what was found.");
      table.hidden = true;
      return;
    }
    if (block.samples === 0) {
      text(summary, "No samples were checked " + where + " in " + period + ".");
      table.hidden = true;
      return;
    }
    // Outreach are not told the number of samples: with the shares it would give the counts behind them.
    const checked = typeof block.samples === "number" ? block.samples + " samples checked " : "Samples checked ";
    text(summary, checked + where + " in " + period + ". Each bar is the share of those"
      + " samples in which the substance was found; a sample can hold several substances.");
    block.substances.forEach((f) => {
      const tr = body.insertRow();
      tr.dataset.substance = f.substance;
      cell(tr, f.substance);
      const share = tr.insertCell();
      // Outreach get no share of a substance found in fewer than k samples, only that it was found.
      const pct = f.share === null ? 0 : Math.round(f.share * 100);
      const bar = share.appendChild(document.createElement("span"));
      bar.className = "bar" + (f.watch_list ? " watch" : "");
      bar.style.width = Math.max(2, pct) + "%";
      const said = f.share === null ? "in " + f.found_in : pct === 0 ? "under 1%" : pct + "%";
      share.appendChild(text(document.createElement("span"), said
        + (analyst ? " (" + f.samples + " of " + block.samples + ")" : "")));
      const notes = [];
      if (f.watch_list) {
        notes.push("On the watch list (" + f.watch_list + ")");
      }
      if (f.newly_seen) {
        notes.push("Newly seen in the city");
      }
      cell(tr, notes.join("; "));
    });
  }

  async function drawSubstances() {
    const here = document.getElementById("findings-area");
    const city = document.getElementById("findings-city");
    try {
      const s = await get("/api/areas/" + encodeURIComponent(area) + "/substances");
      if (s.from == null) {
        text(here.querySelector(".summary"), "No drug-checking results anywhere in the city yet.");
        here.querySelector("table").hidden = true;
        city.hidden = true;
        return;
      }
      const period = "the " + s.weeks + " weeks from " + lookoutDays(s.from, s.to);
      findings(here, s, period, "here");
      findings(city, s.city, period, "across the city");
    } catch (e) {
      text(here.querySelector(".summary"), "Could not load the drug-checking results: " + e.message);
    }
  }

  periodButtons.forEach((b) => b.addEventListener("click", () => {
    period = b.dataset.days === "all" ? null : Number(b.dataset.days);
    pressPeriod();
    redrawDaily();
  }));
  pressPeriod();
  select.addEventListener("change", () => drawSignal().then(() => { document.documentElement.dataset.ready = "true"; }));
  window.addEventListener("resize", () => Object.values(plots).forEach((p) => {
    p.setSize({ width: Math.max(280, p.root.parentElement.clientWidth), height: p.height });
  }));
  Promise.all([drawSignal(), drawSubstances()]).then(() => { document.documentElement.dataset.ready = "true"; });
})();
