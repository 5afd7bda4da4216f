// The explorer's frame: which view is shown (the address's fragment: #customer=ID or #marketing), finding a customer by
// their id or any linked id, following them live (asked twice a second; the worker answers 304 while nothing changed),
// and signing out.
"use strict";

const FOLLOW_MS = 500;
const MARKETING_MS = 5000;
let etag = null;
let timer = null;
// Each view or customer followed gets a new generation: a refresh of an older one, still under way, schedules nothing.
let generation = 0;

function stopFollowing() {
  clearTimeout(timer);
  generation++;
}

function route() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const marketing = fragment.has("marketing");
  document.getElementById("marketing-view").hidden = !marketing;
  document.getElementById("customer-view").hidden = marketing || !customer.view;
  document.getElementById("nav-marketing").toggleAttribute("aria-current", marketing);
  document.getElementById("nav-customer").toggleAttribute("aria-current", !marketing);
  document.getElementById("nav-customer").setAttribute("href", customer.id ? `#customer=${encodeURIComponent(customer.id)}` : "#customer");
  stopFollowing();
  if (marketing) {
    follow(refreshMarketing, MARKETING_MS);
    return;
  }
  const id = fragment.get("customer");
  if (id && id !== customer.id) {
    open(id);
  } else if (customer.id) {
    follow(refreshCustomer, FOLLOW_MS);
  }
}

function follow(refresh, every) {
  const mine = generation;
  const tick = async () => {
    try {
      await refresh();
    } catch (e) {
      if (e instanceof SignedOut) return;
      showProblem(`Could not refresh: ${e.message ?? e}`);
    }
    if (mine === generation) timer = setTimeout(tick, every);
  };
  tick();
}

// The customer a linked id is tied to, else the customer of that id.
async function open(id) {
  showProblem("");
  stopFollowing();
  const link = await api(`explorer/api/identities/${encodeURIComponent(id)}`);
  const customerId = link.status === 200 ? link.body.customerId : id;
  document.getElementById("updated").textContent = link.status === 200 ? `${id} is linked to ${customerId} (${link.body.method}, ${when(link.body.linkedAt)})` : "";
  const answer = await api(`explorer/api/customers/${encodeURIComponent(customerId)}`);
  if (answer.status !== 200) {
    showProblem(answer.body?.error ?? `the worker answered ${answer.status}`);
    return;
  }
  Object.assign(customer, { id: customerId, view: null, explained: new Map(), explainedFor: "", explainedAt: 0, explainedComplete: false });
  document.getElementById("why-not-action").replaceChildren();
  document.getElementById("why-not").replaceChildren();
  history.replaceState(null, "", `#customer=${encodeURIComponent(customerId)}`);
  etag = answer.etag;
  renderCustomer(answer.body);
  route();
  loadActionChoices().catch(e => showProblem(String(e)));
}

async function refreshCustomer() {
  const id = customer.id;
  const answer = await api(`explorer/api/customers/${encodeURIComponent(id)}`, etag);
  if (id !== customer.id) {
    return;
  }
  if (answer.status === 200) {
    etag = answer.etag;
    renderCustomer(answer.body);
  } else if (answer.status !== 304) {
    showProblem(answer.body?.error ?? `the worker answered ${answer.status}`);
    return;
  }
  const updated = document.getElementById("updated");
  updated.textContent = `up to date at ${when(new Date().toISOString())}`;
  updated.dataset.at = String(Date.now());
  await refreshExplained(id);
}

document.getElementById("lookup").addEventListener("submit", event => {
  event.preventDefault();
  const id = document.getElementById("lookup-id").value.trim();
  if (location.hash.includes("marketing")) history.replaceState(null, "", "#customer");
  open(id).catch(e => e instanceof SignedOut || showProblem(String(e)));
});
document.getElementById("sign-out").addEventListener("click", async () => {
  await fetch("explorer/sign-out", { method: "POST", credentials: "same-origin" });
  location.assign("explorer/sign-in#signed-out");
});
window.addEventListener("hashchange", route);
route();
