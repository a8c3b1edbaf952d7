// The session's idle warning (WCAG 2.2.1): two minutes before the sign-out, a dialog says so
// and offers "Stay signed in", which asks the server to extend the session. Without this
// script the page footer says when the session ends, and the dialog's form still works.
// Also puts back a form's text that was kept when a session ended (accounts/_kept_form.html).
const notice = document.getElementById("session-ends");
const dialog = document.getElementById("session-warning");

function clock(date) {
  return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

if (notice && dialog && typeof dialog.showModal === "function") {
  const url = notice.dataset.sessionUrl;
  const warnSeconds = Number(notice.dataset.sessionWarnSeconds);
  const form = dialog.querySelector("form");
  const text = dialog.querySelector("[data-session-ends-text]");
  let timers = [];

  const schedule = (secondsLeft) => {
    timers.forEach(clearTimeout);
    const endsAt = new Date(Date.now() + secondsLeft * 1000);
    text.textContent = clock(endsAt);
    notice.textContent = `For your security, you will be signed out at ${clock(endsAt)} if you do not use CSP Tracker before then.`;
    timers = [
      setTimeout(() => {
        if (!dialog.open) dialog.showModal();
      }, Math.max(0, secondsLeft - warnSeconds) * 1000),
      setTimeout(() => {
        document.getElementById("session-warning-title").textContent = "You have been signed out";
        dialog.querySelector("#session-warning-text").textContent =
          "Sign in again to go on. If you send a form now, what you typed is kept and offered back after you sign in.";
        form.hidden = true;
        if (!dialog.open) dialog.showModal();
      }, secondsLeft * 1000),
    ];
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      dialog.close();
      schedule(answer.seconds_left);
    } catch {
      form.submit();
    }
  });

  schedule(Number(notice.dataset.sessionSecondsLeft));
}

const kept = document.querySelector("[data-kept-form]");
const restore = document.querySelector("[data-kept-restore]");
if (kept && restore) {
  const fields = () =>
    [...kept.querySelectorAll("[data-kept-name]")].map((key) => [
      key.dataset.keptName,
      key.nextElementSibling.dataset.keptValue,
    ]);
  const target = (name) =>
    [...document.querySelectorAll("main form [name]")].filter(
      (el) => el.name === name && el.type !== "hidden" && el.type !== "password" && el.type !== "file",
    );
  if (fields().some(([name]) => target(name).length)) {
    restore.hidden = false;
    restore.addEventListener("click", () => {
      let first = null;
      for (const [name, value] of fields()) {
        for (const el of target(name)) {
          if (el.type === "radio" || el.type === "checkbox") {
            if (el.value === value) el.checked = true;
          }
          else el.value = value;
          first ??= el;
        }
      }
      if (first) first.focus();
    });
  }
}
