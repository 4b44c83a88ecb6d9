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
