// Progressive enhancement only: every page works without this file.
// "/" focuses the search box (unless typing in a field already).
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
  const box = document.querySelector(".quick-search input");
  if (box) {
    event.preventDefault();
    box.focus();
  }
});

// A section with data-load="URL" (the Story page's digest, which takes a moment to compute the first
// time) is replaced by the #digest section of the page at URL. Without JavaScript the section keeps
// its link to that page.
for (const holder of document.querySelectorAll("section[data-load]")) {
  const url = holder.getAttribute("data-load");
  if (!url || !url.startsWith("/")) continue;
  holder.setAttribute("aria-busy", "true");
  fetch(url, { headers: { accept: "text/html" }, credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
    .then((html) => {
      const loaded = new DOMParser().parseFromString(html, "text/html").querySelector("#digest");
      if (!loaded) return;
      holder.replaceChildren(...Array.from(loaded.childNodes, (node) => document.importNode(node, true)));
      holder.removeAttribute("data-load");
    })
    .catch(() => {})
    .finally(() => holder.removeAttribute("aria-busy"));
}
