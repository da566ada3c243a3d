// Served by the development server only (web/tools/dev_server.py), never
// copied into dist/: reloads the page when a rebuild finished, and shows a
// failed rebuild's error over the page, which keeps running the last good
// build.
const BANNER_ID = "dev-build-error";

function showError(message) {
  let banner = document.getElementById(BANNER_ID);
  if (!banner) {
    banner = document.createElement("div");
    banner.id = BANNER_ID;
    banner.setAttribute("role", "alert");
    // Set through the CSSOM: the pages' policy forbids inline style attributes.
    Object.assign(banner.style, {
      position: "fixed", top: "0", left: "0", right: "0", zIndex: "1000",
      padding: "0.6em 1em", background: "#7f1d1d", color: "#fff",
      font: "14px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap",
    });
    document.body.prepend(banner);
  }
  banner.textContent = `Rebuild failed; this page runs the last good build.\n${message}`;
}

const events = new EventSource("/__dev__/events");
events.addEventListener("reload", () => location.reload());
events.addEventListener("failed", (event) => showError(event.data));
