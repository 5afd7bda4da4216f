// The marketers' view: the KPIs (GET /kpis) by window as charts and tables, each action's variants with the
// experiment's uplift over its control group and a 95 % interval (normal approximation of two proportions).
"use strict";

function kpiScopes(rows, prefix) {
  return rows.filter(r => r.scope.startsWith(prefix)).map(r => ({ ...r, name: r.scope.slice(prefix.length) }));
}

// Decided = sent + withheld: the control group's customers were chosen too, and their conversions are the baseline.
function actionFigures(row) {
  const decided = row.counts.actionsSent + row.counts.actionsWithheld;
  return { decided, sent: row.counts.actionsSent, converted: row.counts.actionsConverted, rate: decided ? row.counts.actionsConverted / decided : null };
}

function renderMarketing(report, windowName) {
  const starts = [...new Set(report.kpis.map(r => r.windowStart))].sort();
  const latest = report.kpis.filter(r => r.windowStart === starts[starts.length - 1]);
  const label = start => windowName === "DAY" ? start.slice(0, 10) : start.slice(11, 16);
  lineChart(document.getElementById("chart-conversion-trend"),
    starts.map(start => ({ label: label(start), value: report.kpis.find(r => r.windowStart === start && r.scope === "all")?.conversionRate ?? null })), v => percent(v));
  const channels = kpiScopes(latest, "channel:").sort((a, b) => a.name.localeCompare(b.name));
  barChart(document.getElementById("chart-conversion-channel"), channels.map(c => ({ label: c.name, value: c.conversionRate })), v => percent(v));
  barChart(document.getElementById("chart-nps-channel"), channels.map(c => ({ label: c.name, value: c.nps })), v => number(v, 0));
  barChart(document.getElementById("chart-ces-channel"), channels.map(c => ({ label: c.name, value: c.cesAverage })), v => number(v, 2));
  renderExperiments(kpiScopes(latest, "action:"));
  renderSegmentFigures(report.segments ?? [], kpiScopes(latest, "segment:"));
  fill(document.querySelector("#kpis tbody"), report.kpis.map(r => row(when(r.windowStart), r.scope, number(r.counts.journeys), number(r.counts.conversions),
    percent(r.conversionRate), number(r.nps, 0), number(r.cesAverage, 2), number(r.counts.actionsSent), number(r.counts.actionsConverted), number(r.counts.actionsWithheld),
    number(r.counts.segmentEntries), number(r.counts.segmentExits))),
    "No KPIs yet in these windows.", 12);
  document.getElementById("updated").textContent = report.complete
    ? `KPIs as of ${when(new Date().toISOString())}` : `KPIs incomplete: partitions ${report.missingPartitions.join(", ")} did not answer`;
}

// Each segment's members now (entries − exits ever counted) and how the latest window moved it, with its KPIs there.
function renderSegmentFigures(sizes, latest) {
  const names = [...new Set([...sizes.map(s => s.segment), ...latest.map(s => s.name)])];
  const segments = names.map(name => ({ name, members: sizes.find(s => s.segment === name)?.members ?? null, kpis: latest.find(s => s.name === name) }))
    .sort((a, b) => (b.members ?? 0) - (a.members ?? 0) || a.name.localeCompare(b.name));
  barChart(document.getElementById("chart-segment-members"), segments.map(s => ({ label: s.name, value: s.members })), v => number(v));
  barChart(document.getElementById("chart-segment-moves"),
    segments.map(s => ({ label: s.name, value: s.kpis ? s.kpis.counts.segmentEntries - s.kpis.counts.segmentExits : null })), v => `${v > 0 ? "+" : ""}${number(v)}`);
  fill(document.querySelector("#segment-kpis tbody"), segments.map(s => {
    const k = s.kpis;
    const tr = row(s.name, number(s.members), number(k?.counts.segmentEntries), number(k?.counts.segmentExits), number(k?.counts.journeys), number(k?.counts.conversions),
      percent(k?.conversionRate), number(k?.nps, 0), number(k?.cesAverage, 2), number(k?.counts.actionsSent));
    tr.dataset.segment = s.name;
    return tr;
  }), "No segment yet.", 10);
}

function renderExperiments(actions) {
  const byType = new Map();
  for (const a of actions) {
    const [type, variant] = a.name.split("/");
    if (!byType.has(type)) byType.set(type, []);
    byType.get(type).push({ type, variant, ...actionFigures(a) });
  }
  const rows = [];
  for (const [type, variants] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const control = variants.find(v => v.variant === "control");
    for (const v of variants.sort((a, b) => a.variant.localeCompare(b.variant))) {
      const tr = row(type, v.variant === "none" ? "no experiment" : v.variant, number(v.decided), number(v.sent), number(v.converted), percent(v.rate), upliftText(v, control));
      tr.dataset.action = type;
      tr.dataset.variant = v.variant;
      rows.push(tr);
    }
  }
  fill(document.querySelector("#experiments tbody"), rows, "No action decided in this window.", 7);
}

function upliftText(variant, control) {
  if (!control || variant === control || !control.decided || !variant.decided) {
    return variant === control ? "baseline" : "–";
  }
  const difference = variant.rate - control.rate;
  const margin = 1.96 * Math.sqrt(variant.rate * (1 - variant.rate) / variant.decided + control.rate * (1 - control.rate) / control.decided);
  return `${difference >= 0 ? "+" : ""}${(difference * 100).toFixed(1)} pts ± ${(margin * 100).toFixed(1)}`;
}

async function refreshMarketing() {
  const windowName = document.getElementById("kpi-window").value;
  const last = Math.min(24, Math.max(1, Number(document.getElementById("kpi-last").value) || 6));
  const answer = await api(`explorer/api/kpis?window=${windowName}&last=${last}`);
  if (answer.status === 403) {
    showProblem("Your sign-in may not read the KPIs (permission kpis:read).");
    return;
  }
  if (answer.status === 200) {
    renderMarketing(answer.body, windowName);
  }
}

document.getElementById("kpi-form").addEventListener("change", () => refreshMarketing().catch(e => showProblem(String(e))));
document.getElementById("kpi-form").addEventListener("submit", event => event.preventDefault());
