// The console's only two assets, served by the gateway itself (no CDN: the
// admin plane may have no internet). Kept as text here so the build needs no copy step.

export const CSS = `
:root { --fg: #1d232b; --muted: #5b6673; --line: #d5dbe2; --bg: #f6f7f9; --accent: #0b5cad; --bad: #b3261e; --good: #1e7a3a; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 1.5rem; align-items: baseline; padding: .5rem 1.25rem; background: #fff; border-bottom: 1px solid var(--line); }
header p { margin: 0; }
.brand { font-weight: 600; } .brand span { font-weight: 400; color: var(--muted); margin-left: .5rem; }
.who { color: var(--muted); flex: 1; }
nav ul { list-style: none; margin: 0; padding: 0 1.25rem; display: flex; gap: .25rem; background: #fff; border-bottom: 1px solid var(--line); }
nav a { display: inline-block; padding: .5rem .85rem; color: var(--fg); text-decoration: none; border-bottom: 3px solid transparent; }
nav a[aria-current="page"] { border-color: var(--accent); font-weight: 600; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, main:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; z-index: 2; }
main { padding: 1rem 1.25rem 2rem; max-width: 1400px; }
h1 { font-size: 1.35rem; margin: .25rem 0 1rem; } h2 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem .75rem; margin-bottom: 1rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td code, p code { font-size: 12px; color: var(--muted); }
.bad { color: var(--bad); font-weight: 600; } .good { color: var(--good); font-weight: 600; } .warn { color: var(--warn); }
.empty { color: var(--muted); }
form.row { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
form.filters { display: grid; grid-template-columns: repeat(5, 1fr); gap: .5rem 1rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: .15rem; }
input, select, textarea, button { font: inherit; }
input, select { padding: .3rem .4rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
textarea { width: 100%; min-height: 16rem; font-family: ui-monospace, monospace; font-size: 13px; }
button { padding: .35rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
form.inline { display: inline-block; margin: 0 .25rem .25rem 0; }
button { white-space: nowrap; }
button.secondary { background: #fff; color: var(--accent); }
button:disabled { opacity: .6; }
.notice { padding: .5rem .75rem; border-radius: 4px; background: #e8f1fb; margin: 0 0 1rem; }
.notice.bad { background: #fbeaea; }
.pager { display: flex; gap: 1rem; margin-top: .5rem; }
.bar { display: inline-block; height: .7rem; background: var(--accent); vertical-align: middle; }
.bar.deny { background: var(--bad); }
pre { white-space: pre-wrap; word-break: break-all; font-size: 12px; background: var(--bg); padding: .5rem; }
footer { padding: 0 1.25rem 1rem; color: var(--muted); font-size: 12px; }
`;

// Live overview (server-sent events; the browser reconnects by itself) and a
// busy state on forms that take a while. The server renders every fragment, escaped.
export const JS = `
(() => {
  const live = document.getElementById('live');
  if (live && window.EventSource) {
    const es = new EventSource('/console/events');
    es.addEventListener('overview', (e) => { live.innerHTML = JSON.parse(e.data).html; });
  }
  // A policy file chosen from disk is read into the text area (nothing is uploaded until the form is sent).
  const file = document.getElementById('candidate-file');
  const area = document.getElementById('candidate');
  if (file && area) file.addEventListener('change', async () => { if (file.files[0]) area.value = await file.files[0].text(); });
  // A verification still running: look again in two seconds.
  if (document.getElementById('verify-progress')) setTimeout(() => location.reload(), 2000);
  for (const form of document.querySelectorAll('form[data-busy]')) {
    form.addEventListener('submit', () => {
      const b = form.querySelector('button[type=submit]');
      if (b) { b.disabled = true; b.textContent = form.dataset.busy; }
    });
  }
})();
`;
