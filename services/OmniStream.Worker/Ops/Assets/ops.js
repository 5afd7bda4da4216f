// The ops page: reads ops/snapshot (every instance's figures) every few seconds and draws them.
// Plain DOM and SVG; every text from the server goes in as text, never as markup.
"use strict";

const REFRESH_MS = 2000;
const WINDOW_MS = 15 * 60 * 1000;
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

// A line from `start` (at most 15 minutes back, shared by every chart) to now: points are [unix ms, value]; the y axis starts at 0.
function sparkline(svg, points, start, now) {
  svg.replaceChildren();
  const width = 200, height = 30;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const max = Math.max(1, ...points.map(p => p[1]));
  const span = Math.max(1000, now - start);
  const x = t => ((t - start) / span) * width;
  const y = v => height - 2 - (v / max) * (height - 4);
  const line = document.createElementNS(SVG, "polyline");
  line.setAttribute("points", points.filter(p => p[0] >= start).map(p => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" "));
  line.setAttribute("vector-effect", "non-scaling-stroke");
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", "2");
  label.setAttribute("y", "9");
  label.textContent = `max ${number(max, max < 10 ? 1 : 0)}`;
  svg.append(line, label);
  svg.dataset.points = String(points.length);
  svg.dataset.last = points.length ? String(points[points.length - 1][1]) : "";
}

function chart(className, points, start, now, label) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `lag-chart ${className}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  sparkline(svg, points, start, now);
  return svg;
}

// Who owns each partition, by "stage/topic:partition", from the instance directory.
function owners(instances) {
  const byPartition = new Map();
  for (const instance of instances)
    for (const [stage, partitions] of Object.entries(instance.owns))
      for (const partition of partitions) byPartition.set(`${stage}/${partition}`, instance.instance);
  return byPartition;
}

// Each partition once, stages in the pipeline's order: while a partition moves, two instances may report it; their histories join.
function partitions(views, ownerOf) {
  const order = new Map();
  for (const view of views) view.stages.forEach((s, i) => { if (!order.has(s.stage)) order.set(s.stage, i); });
  const merged = new Map();
  for (const view of views) {
    for (const p of view.partitions) {
      const key = `${p.stage}/${p.topic}:${p.partition}`;
      const known = merged.get(key);
      const history = (known ? known.history.concat(p.history) : p.history).sort((a, b) => a[0] - b[0]);
      const current = !known || ownerOf.get(key) === view.instance ? { ...p, instance: view.instance } : known;
      merged.set(key, { ...current, key, history });
    }
  }
  for (const [key, owner] of ownerOf) {
    if (!merged.has(key)) {
      const [stage, rest] = key.split("/");
      const at = rest.lastIndexOf(":");
      merged.set(key, { key, stage, topic: rest.slice(0, at), partition: Number(rest.slice(at + 1)), records: null, seconds: null, history: [], instance: owner });
    }
  }
  const rank = stage => order.get(stage) ?? order.size;
  return [...merged.values()].sort((a, b) => rank(a.stage) - rank(b.stage) || a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

// The instances' rates added up, in 5-second buckets.
function totalRates(views) {
  const buckets = new Map();
  for (const view of views) {
    for (const [at, eventsIn, actionsOut] of view.rates.history) {
      const bucket = Math.floor(at / 5000) * 5000;
      const sum = buckets.get(bucket) ?? [bucket, 0, 0];
      sum[1] += eventsIn;
      sum[2] += actionsOut;
      buckets.set(bucket, sum);
    }
  }
  return [...buckets.values()].sort((a, b) => a[0] - b[0]);
}

function stageState(stages) {
  const failed = stages.find(s => s.status === "Failed");
  if (failed) return { name: "failed", text: `failed on ${failed.instance}: ${failed.failure ?? "unknown error"}` };
  const restoring = stages.filter(s => s.restoreRemaining > 0);
  if (restoring.length) {
    const remaining = restoring.reduce((n, s) => n + s.restoreRemaining, 0);
    const applied = restoring.reduce((n, s) => n + s.restoreApplied, 0);
    return { name: "restoring", text: `restoring: ${number((100 * applied) / (applied + remaining))} %, ${number(remaining)} records to replay` };
  }
  if (stages.some(s => s.status !== "Running")) return { name: "starting", text: stages.map(s => `${s.instance}: ${s.status.toLowerCase()}`).join(", ") };
  return { name: "running", text: `running on ${stages.length} instance${stages.length === 1 ? "" : "s"}` };
}

function drawTiles(views, start, now) {
  const sum = f => views.reduce((n, v) => n + f(v), 0);
  const worst = f => { const values = views.map(f).filter(v => v !== null && v !== undefined); return values.length ? Math.max(...values) : null; };
  document.getElementById("events-in").textContent = number(sum(v => v.rates.eventsInPerSecond), 1);
  document.getElementById("actions-out").textContent = number(sum(v => v.rates.actionsOutPerSecond), 1);
  document.getElementById("latency-p50").textContent = number(worst(v => v.latency.p50));
  document.getElementById("latency-p99").textContent = number(worst(v => v.latency.p99));
  document.getElementById("dead-letters-per-minute").textContent = number(sum(v => v.deadLetters.reduce((n, d) => n + d.perMinute, 0)));
  document.getElementById("rebalances").textContent = `${number(sum(v => v.rebalances.recent))} · ${number(sum(v => v.rebalances.total))}`;
  document.getElementById("aborts").textContent = `${number(sum(v => v.aborts.recent))} · ${number(sum(v => v.aborts.total))}`;
  const rates = totalRates(views);
  sparkline(document.getElementById("events-in-trend"), rates.map(r => [r[0], r[1]]), start, now);
  sparkline(document.getElementById("actions-out-trend"), rates.map(r => [r[0], r[2]]), start, now);
}

function drawStages(views, all) {
  const byStage = new Map();
  for (const view of views)
    for (const stage of view.stages) byStage.set(stage.stage, [...(byStage.get(stage.stage) ?? []), { ...stage, instance: view.instance }]);
  const rows = [...byStage].map(([name, stages]) => {
    const state = stageState(stages);
    const mine = all.filter(p => p.stage === name);
    const owned = stages.reduce((n, s) => n + s.assignedPartitions, 0);
    return el("tr", { "data-stage": name },
      el("td", {}, name),
      el("td", { class: `state-${state.name}`, "data-state": state.name }, state.text),
      el("td", {}, `${owned} of ${Math.max(0, ...stages.map(s => s.inputPartitions))}`),
      el("td", {}, number(mine.reduce((n, p) => n + (p.records ?? 0), 0))),
      el("td", {}, number(Math.max(0, ...mine.map(p => p.seconds ?? 0)), 1)));
  });
  document.querySelector("#stages tbody").replaceChildren(...rows);
}

function drawPartitions(all, ownerOf, start, now) {
  const groups = [];
  for (const stage of [...new Set(all.map(p => p.stage))]) {
    const cards = all.filter(p => p.stage === stage).map(p => el("div", { class: "partition", "data-partition": p.key, "data-owner": ownerOf.get(p.key) ?? "" },
      el("div", { class: "name" }, `${p.topic} · ${p.partition}`),
      el("div", { class: "owner" }, `owner: ${ownerOf.get(p.key) ?? "none (rebalancing)"}`),
      el("div", { class: "figures" },
        el("span", { class: "records" }, `${number(p.records)} records`),
        el("span", { class: "seconds" }, `${number(p.seconds, 1)} s`)),
      chart("records", p.history.map(h => [h[0], h[1]]), start, now, `lag in records of ${p.key}`),
      chart("seconds", p.history.map(h => [h[0], h[2]]), start, now, `lag in seconds of ${p.key}`)));
    groups.push(el("h3", {}, stage), el("div", { class: "stage-partitions", "data-stage": stage }, ...cards));
  }
  document.getElementById("partitions").replaceChildren(...groups);
}

function drawDeadLetters(views) {
  const merged = new Map();
  for (const view of views) {
    for (const d of view.deadLetters) {
      const key = `${d.source}\u0000${d.error}`;
      const known = merged.get(key) ?? { source: d.source, error: d.error, perMinute: 0, total: 0 };
      merged.set(key, { ...known, perMinute: known.perMinute + d.perMinute, total: known.total + d.total });
    }
  }
  const rows = [...merged.values()].sort((a, b) => b.perMinute - a.perMinute || b.total - a.total)
    .map(d => el("tr", {}, el("td", {}, d.source), el("td", {}, d.error), el("td", {}, number(d.perMinute)), el("td", {}, number(d.total))));
  document.querySelector("#dead-letters tbody").replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "4", class: "muted" }, "none"))]));
}

function drawInstances(instances, self) {
  const rows = instances.map(i => el("tr", { "data-instance": i.instance },
    el("td", {}, i.instance === self ? `${i.instance} (this page)` : i.instance),
    el("td", {}, i.endpoint),
    el("td", {}, Object.entries(i.owns).map(([stage, ps]) => `${stage}: ${ps.length}`).join(", ") || "nothing"),
    el("td", { class: i.answered ? "state-running" : "state-failed" }, i.answered ? "yes" : `no: ${i.error}`)));
  document.querySelector("#instances tbody").replaceChildren(...rows);
}

function draw(snapshot) {
  const now = Date.parse(snapshot.at);
  const ownerOf = owners(snapshot.instances);
  const all = partitions(snapshot.views, ownerOf);
  let first = now - 60_000;
  for (const view of snapshot.views) {
    for (const sample of view.rates.history) first = Math.min(first, sample[0]);
    for (const p of view.partitions) if (p.history.length) first = Math.min(first, p.history[0][0]);
  }
  const start = Math.max(now - WINDOW_MS, first);
  document.getElementById("application").textContent = `${snapshot.application} · seen from ${snapshot.instance}`;
  document.getElementById("since").textContent = `since ${new Date(start).toLocaleTimeString()}`;
  drawTiles(snapshot.views, start, now);
  drawStages(snapshot.views, all);
  drawPartitions(all, ownerOf, start, now);
  drawDeadLetters(snapshot.views);
  drawInstances(snapshot.instances, snapshot.instance);
  const updated = document.getElementById("updated");
  updated.textContent = `updated ${new Date(now).toLocaleTimeString()}`;
  updated.dataset.at = snapshot.at;
}

async function refresh() {
  const problem = document.getElementById("problem");
  try {
    const response = await fetch("ops/snapshot", { credentials: "same-origin", cache: "no-store" });
    if (!response.ok) throw new Error(`ops/snapshot answered ${response.status}`);
    draw(await response.json());
    problem.textContent = "";
  } catch (error) {
    problem.textContent = `${error.message}; retrying`;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
