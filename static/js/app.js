// Console: small progressive enhancements. Every page and form works without this file.
(function () {
  "use strict";

  // Copy to clipboard: <button data-copy="text" hidden>, confirmed in the .copy-status beside it.
  document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    navigator.clipboard.writeText(button.dataset.copy).then(function () {
      const status = button.parentElement.querySelector(".copy-status");
      status.textContent = "Copied";
      setTimeout(function () { status.textContent = ""; }, 2000);
    });
  });

  // Menus are native <details data-menu>: they also close on Escape (focus goes back to
  // their button) and on a click elsewhere, and one options menu is open at a time.
  function openMenus() { return Array.from(document.querySelectorAll("details[data-menu][open]")); }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const menu = openMenus().pop();  // the innermost one
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) { if (!menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("toggle", function (event) {
    const menu = event.target;
    if (!menu.matches || !menu.matches("details[data-menu]") || !menu.open) return;
    openMenus().forEach(function (other) { if (!other.contains(menu)) other.open = false; });
    const search = menu.querySelector(":scope > .dropdown-panel input[type=search]");
    if (search) search.focus();
  }, true);

  // Projects menu search: ask the server as the user types (it returns only the rows).
  const searchForm = document.querySelector("[data-menu-search]");
  if (searchForm) {
    const input = searchForm.querySelector("input[name=q]");
    const rows = document.querySelector("[data-menu-rows]");
    let timer = null;
    let controller = null;
    const load = function () {
      if (controller) controller.abort();
      controller = new AbortController();
      const url = searchForm.action + "?partial=1&q=" + encodeURIComponent(input.value);
      fetch(url, { signal: controller.signal, credentials: "same-origin" })
        .then(function (response) {
          // Signed out meanwhile: the answer is the sign-in page, so go there.
          if (response.redirected) { window.location.assign(response.url); return Promise.reject(response); }
          return response.ok ? response.text() : Promise.reject(response);
        })
        .then(function (html) { rows.innerHTML = html; })
        .catch(function () { /* a newer search replaced this one, or the network failed */ });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 150); });
    searchForm.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); load(); });
  }

  // After a redirect, focus what the page is about (e.g. the row just created), not <body>:
  // keyboard and screen reader users continue from there. The element has tabindex=-1.
  const autofocus = document.querySelector("[data-autofocus]");
  if (autofocus && !document.querySelector("dialog[data-open-on-load]")) autofocus.focus();

  // Dialogs: a link with data-open-dialog="id" opens <dialog id> instead of its own page.
  document.querySelectorAll("[data-open-dialog]").forEach(function (opener) {
    const dialog = document.getElementById(opener.dataset.openDialog);
    if (!dialog || typeof dialog.showModal !== "function") return;
    opener.addEventListener("click", function (event) { event.preventDefault(); dialog.showModal(); });
    dialog.addEventListener("close", function () { opener.focus(); });
    if (dialog.hasAttribute("data-open-on-load")) dialog.showModal();
  });
  document.addEventListener("click", function (event) {
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog").close();
  });

  // A form marked data-once is sent once: a double click does not post it twice.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;  // back from the next page: let the forms be used again
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    });
  });
})();
