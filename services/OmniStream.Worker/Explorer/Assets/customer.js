// The customer view: one customer's state across every channel (as GET /customers/{id} answers it), the reasons of
// their actions (GET /customers/{id}/actions/explained) and "why not?" for any action (GET /customers/{id}/why-not).
"use strict";

const customer = {
  id: null,
  view: null,
  explained: new Map(),
  explainedFor: "",
  explainedAt: 0,
  explainedComplete: false,
};

function renderCustomer(view) {
  customer.view = view;
  document.getElementById("customer-view").hidden = false;
  document.getElementById("customer-title").textContent = `Customer ${view.customerId}`;
  const linked = view.linkedIds.length ? `linked ids: ${view.linkedIds.join(", ")}` : "no linked ids";
  document.getElementById("customer-summary").textContent =
    `${linked} · last seen ${when(view.lastSeenAt)} on ${view.lastChannel} · prefers ${view.preferredChannel}`;
  renderProfile(view);
  renderConsents(view);
  renderChannels(view);
  renderCart(view.cart);
  renderOrders(view.orders);
  fill(document.querySelector("#tickets tbody"),
    view.openTickets.map(t => row(t.ticketId, t.topic, t.channel, when(t.openedAt))), "No open ticket.", 4);
  renderSegments(view);
  renderTimelineFilters(view.timeline);
  renderTimeline();
  renderActions();
  renderWaiting(view);
  fill(document.querySelector("#silent tbody"), view.nothingSent.map(s => {
    const tr = row(when(s.decidedAt), s.moment, el("td", {}, el("ul", {}, ...s.reasons.map(r => el("li", {}, r)))));
    tr.dataset.moment = s.moment;
    return tr;
  }), "Every moment so far sent something.", 3);
}

function renderProfile(view) {
  const entries = Object.entries(view.profile).sort(([a], [b]) => a.localeCompare(b));
  fill(document.querySelector("#profile tbody"), entries.map(([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, value))),
    "No profile attributes.", 2);
}

// The channel a consent was given on is the channel of its event, while the timeline still holds it.
function renderConsents(view) {
  const channelOf = new Map(view.timeline.map(line => [line.eventId, line.channel]));
  fill(document.querySelector("#consents tbody"), view.consents.map(c => {
    const tr = row(c.purpose, c.channel, c.granted ? "yes" : "withdrawn", when(c.changedAt), channelOf.get(c.eventId) ?? "–");
    tr.dataset.purpose = c.purpose;
    tr.dataset.granted = String(c.granted);
    return tr;
  }), "No consent recorded: marketing goes nowhere.", 5);
}

function renderChannels(view) {
  const channels = Object.entries(view.channels).sort((a, b) => b[1].lastSeenAt.localeCompare(a[1].lastSeenAt));
  fill(document.querySelector("#channels tbody"), channels.map(([channel, activity]) =>
    row(channel, when(activity.firstSeenAt), when(activity.lastSeenAt), number(activity.interactions))), "No activity.", 4);
}

function renderCart(cart) {
  const holder = document.getElementById("cart");
  if (!cart) {
    holder.replaceChildren(el("p", { class: "muted" }, "No open cart."));
    return;
  }
  holder.replaceChildren(
    el("p", {}, `${cart.cartId} on ${cart.channel}, updated ${when(cart.updatedAt)}: ${number(cart.total, 2)} ${cart.currency}`),
    el("ul", {}, ...cart.lines.map(line => el("li", {}, `${line.quantity} × ${line.productId} at ${number(line.unitPrice, 2)}`))));
}

function renderOrders(orders) {
  document.getElementById("orders").replaceChildren(el("p", {}, orders.ordersLifetime
    ? `${orders.ordersLifetime} orders, ${number(orders.monetaryLifetime, 2)} in all; ${orders.ordersInWindow} lately (${number(orders.monetaryInWindow, 2)}); last ${when(orders.lastOrderAt)}`
    : "No order yet."));
}

function renderSegments(view) {
  const list = document.getElementById("segments");
  const since = view.segmentsSince ?? {};
  list.replaceChildren(...(view.segments.length
    ? view.segments.map(s => el("li", { "data-segment": s }, since[s] ? `${s}, since ${when(since[s])}` : `${s} (since before entry times were kept)`))
    : [el("li", { class: "muted" }, "in no segment")]));
  const nps = view.lastNps ? `NPS ${view.lastNps.score} (${view.lastNps.channel}, ${when(view.lastNps.at)})` : "no NPS answer";
  const ces = view.lastCes ? `CES ${view.lastCes.score} (${view.lastCes.channel}, ${when(view.lastCes.at)})` : "no CES answer";
  document.getElementById("scores").textContent = `${nps} · ${ces}`;
}

// The filters offer what the timeline holds, and keep the reader's choice while it updates.
function renderTimelineFilters(timeline) {
  for (const [id, values] of [["timeline-channel", timeline.map(l => l.channel)], ["timeline-kind", timeline.map(l => l.type)]]) {
    const select = document.getElementById(id);
    const chosen = select.value;
    const options = [...new Set(values)].sort();
    select.replaceChildren(select.options[0], ...options.map(v => el("option", { value: v }, v)));
    select.value = options.includes(chosen) ? chosen : "";
  }
}

function renderTimeline() {
  const channel = document.getElementById("timeline-channel").value;
  const kind = document.getElementById("timeline-kind").value;
  const lines = (customer.view?.timeline ?? []).filter(l => (!channel || l.channel === channel) && (!kind || l.type === kind));
  fill(document.querySelector("#timeline tbody"), lines.map(l => {
    const tr = row(when(l.at), l.channel, l.type, l.summary);
    tr.dataset.eventId = l.eventId;
    tr.dataset.channel = l.channel;
    tr.dataset.kind = l.type;
    return tr;
  }), "Nothing on the timeline for these filters.", 4);
}

function renderActions() {
  const actions = customer.view?.actions ?? [];
  fill(document.querySelector("#actions tbody"), actions.map(a => {
    const explained = customer.explained.get(a.actionId);
    const outcome = a.withheld ? "withheld (control group)" : [a.outcome ?? "no outcome yet", a.convertedAt ? `converted ${when(a.convertedAt)}` : null].filter(Boolean).join(", ");
    const why = explained
      ? el("details", {}, el("summary", {}, explained.reasonCodes.join(", ")), el("ul", {}, ...explained.rulesFired.map(r => el("li", {}, r))))
      : el("span", { class: "muted" }, !customer.explainedFor ? "reading…" : customer.explainedComplete ? "no longer on the actions topics" : "not read yet");
    const tr = row(when(a.decidedAt), `${a.action ?? a.type} (${a.type})`, a.channel, a.variant, outcome, el("td", {}, why));
    tr.dataset.action = a.action ?? "";
    tr.dataset.actionId = a.actionId;
    return tr;
  }), "No action sent yet.", 6);
}

function renderWaiting(view) {
  document.getElementById("paused").textContent = view.marketingPausedUntil ? `Marketing paused until ${when(view.marketingPausedUntil)}.` : "";
  fill(document.querySelector("#waiting tbody"), view.waiting.map(w => {
    const tr = row(w.moment, when(w.dueAt), when(w.triggeredAt), w.triggerChannel);
    tr.dataset.moment = w.moment;
    return tr;
  }), "No moment waiting.", 4);
}

// The reasons live on the actions topics: read again when the customer's set of actions changed, or a minute after a
// reading that failed or did not reach the topics' end.
const EXPLAIN_RETRY_MS = 60000;

async function refreshExplained(id) {
  const ids = (customer.view?.actions ?? []).map(a => a.actionId).sort().join(",");
  if (!ids || ids === customer.explainedFor && (customer.explainedComplete || Date.now() - customer.explainedAt < EXPLAIN_RETRY_MS)) {
    return;
  }
  Object.assign(customer, { explainedFor: ids, explainedAt: Date.now(), explainedComplete: false });
  const answer = await api(`explorer/api/customers/${encodeURIComponent(id)}/actions/explained`);
  if (answer.status === 200 && customer.id === id) {
    customer.explained = new Map(answer.body.actions.map(a => [a.actionId, a]));
    customer.explainedComplete = answer.body.complete;
    renderActions();
  }
}

async function askWhyNot(action) {
  const holder = document.getElementById("why-not");
  holder.replaceChildren(el("p", { class: "muted" }, "Checking…"));
  const answer = await api(`explorer/api/customers/${encodeURIComponent(customer.id)}/why-not?action=${encodeURIComponent(action)}`);
  if (answer.status !== 200) {
    holder.replaceChildren(el("p", {}, answer.body?.error ?? `the worker answered ${answer.status}`));
    return;
  }
  const verdict = answer.body[0];
  const head = verdict.wouldGoNow
    ? `Yes: ${verdict.action} would go to the customer now, on ${verdict.channel} (if it wins its moment on score).`
    : `No: ${verdict.action} would not go to the customer now.`;
  holder.replaceChildren(...[
    el("p", { class: verdict.wouldGoNow ? "verdict yes" : "verdict no", "data-would-go": String(verdict.wouldGoNow) }, head),
    verdict.waitingUntil ? el("p", {}, `Its moment ${verdict.moment} waits, due ${when(verdict.waitingUntil)}.`) : null,
    verdict.variant ? el("p", {}, `Experiment arm: ${verdict.variant}.`) : null,
    verdict.stops.length ? el("ul", { class: "stops" }, ...verdict.stops.map(s => el("li", {}, s))) : null,
  ].filter(Boolean));
}

async function loadActionChoices() {
  const select = document.getElementById("why-not-action");
  if (select.options.length || !customer.id) {
    return;
  }
  const answer = await api(`explorer/api/customers/${encodeURIComponent(customer.id)}/why-not`);
  if (answer.status === 200) {
    select.replaceChildren(...answer.body.map(a => el("option", { value: a.action }, a.action)));
  }
}

document.getElementById("timeline-channel").addEventListener("change", renderTimeline);
document.getElementById("timeline-kind").addEventListener("change", renderTimeline);
document.getElementById("why-not-form").addEventListener("submit", event => {
  event.preventDefault();
  askWhyNot(document.getElementById("why-not-action").value).catch(e => showProblem(String(e)));
});
