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

  // The lasting navigation folds into one button on a phone (the stylesheet decides when):
  // here the button is shown and opens and closes it.
  document.querySelectorAll("[data-site-nav]").forEach(function (nav) {
    const toggle = nav.querySelector(".site-nav-toggle");
    toggle.hidden = false;
    nav.classList.add("is-collapsible");
    toggle.addEventListener("click", function () {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("is-open", open);
    });
  });

  // The spend limit form shows only the chosen kind's fields (an amount, or quantities);
  // without JavaScript it shows both, and only the chosen kind's are used.
  document.querySelectorAll("[data-limit-form]").forEach(function (form) {
    function show() {
      const chosen = form.querySelector("input[name=kind]:checked");
      form.querySelectorAll("[data-limit-kind]").forEach(function (part) {
        part.hidden = Boolean(chosen) && part.dataset.limitKind !== chosen.value;
      });
    }
    form.addEventListener("change", show);
    show();
  });

  // Sign-in: the browser's time zone, which a first sign-in takes as the user's.
  document.querySelectorAll("[data-browser-time-zone]").forEach(function (input) {
    try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* none */ }
  });

  // Menus are native <details data-menu>. Here they get the WAI-ARIA menu button's keys:
  // on the button, Enter, Space or Down opens and goes to the first item, Up to the
  // last; in the menu, Up and Down move (wrapping), Home and End go to the ends, Escape
  // closes and returns to the button, Tab closes. A click elsewhere closes them, and
  // one options menu is open at a time. In the Projects menu the items are the rows'
  // links, and the search field sits above the first.
  function openMenus() { return Array.from(document.querySelectorAll("details[data-menu][open]")); }
  function summaryOf(menu) { return menu.querySelector(":scope > summary"); }
  function itemsOf(menu) {
    const panel = menu.querySelector(":scope > .dropdown-panel");
    if (!panel) return [];
    // A row's own options menu is inside the Projects menu's panel: its items are not
    // the Projects menu's (those are the rows' links).
    const selector = menu.hasAttribute("data-projects-menu") ? ".menu-row-link" : "[role=menuitem]";
    return Array.from(panel.querySelectorAll(selector));
  }
  function focusItem(menu, index) {
    const items = itemsOf(menu);
    if (!items.length) return;
    items[(index + items.length) % items.length].focus();
  }
  function close(menu, refocus) {
    menu.open = false;
    if (refocus) summaryOf(menu).focus();
  }
  function innermostMenu(element) { return element.closest("details[data-menu]"); }

  let openedByKey = null;  // "first" or "last": where focus goes once the menu opens
  // The Projects menu's rows arrive after it opens (see its search below): focus waits
  // for them.
  let pendingFocus = null;
  function rowsArrived(menu) {
    if (pendingFocus && pendingFocus.menu === menu && menu.open) {
      focusItem(menu, pendingFocus.index);
    }
    pendingFocus = null;
  }
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const menu = innermostMenu(target);
    if (event.key === "Escape") {
      const open = (menu && menu.open) ? menu : openMenus().pop();
      if (!open) return;
      event.preventDefault();
      close(open, true);
      return;
    }
    if (!menu) return;
    const onSummary = target === summaryOf(menu);
    if (onSummary) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (menu.open) { focusItem(menu, event.key === "ArrowDown" ? 0 : -1); return; }
        openedByKey = event.key === "ArrowDown" ? "first" : "last";
        menu.open = true;
      } else if ((event.key === "Enter" || event.key === " ") && !menu.open) {
        openedByKey = menu.hasAttribute("data-projects-menu") ? null : "first";
      }
      return;
    }
    if (!menu.open) return;
    const items = itemsOf(menu);
    const index = items.indexOf(target);
    const inSearch = target.matches("input[type=search]");
    if (event.key === "Tab" && index !== -1 && !menu.hasAttribute("data-projects-menu")) {
      close(menu, false);
      return;
    }
    if (index === -1 && !(inSearch && event.key === "ArrowDown")) return;
    switch (event.key) {
      case "ArrowDown": focusItem(menu, inSearch ? 0 : index + 1); break;
      case "ArrowUp":
        if (index === 0 && menu.hasAttribute("data-projects-menu")) {
          menu.querySelector("input[type=search]").focus();
        } else {
          focusItem(menu, index - 1);
        }
        break;
      case "Home": focusItem(menu, 0); break;
      case "End": focusItem(menu, -1); break;
      default: return;
    }
    event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) { if (!menu.contains(event.target)) menu.open = false; });
  });
  document.addEventListener("toggle", function (event) {
    const menu = event.target;
    if (!menu.matches || !menu.matches("details[data-menu]") || !menu.open) return;
    openMenus().forEach(function (other) { if (!other.contains(menu)) other.open = false; });
    if (openedByKey === "first" || openedByKey === "last") {
      const index = openedByKey === "first" ? 0 : -1;
      if (itemsOf(menu).length) focusItem(menu, index);
      else pendingFocus = { menu: menu, index: index };
    } else {
      const search = menu.querySelector(":scope > .dropdown-panel input[type=search]");
      if (search) search.focus();
    }
    openedByKey = null;
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
        .then(function (html) {
          rows.innerHTML = html;
          rowsArrived(searchForm.closest("details[data-menu]"));
        })
        .catch(function () { /* a newer search replaced this one, or the network failed */ });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 150); });
    searchForm.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); load(); });
    // The rows are not in the page: they are read when the menu first opens (or is
    // about to: a pointer over its button, or focus on it, starts the request early).
    const menu = searchForm.closest("details[data-projects-menu]");
    let loaded = false;
    const firstLoad = function () { if (!loaded) { loaded = true; load(); } };
    if (menu) {
      const button = menu.querySelector(":scope > summary");
      button.addEventListener("pointerenter", firstLoad);
      button.addEventListener("focus", firstLoad);
      menu.addEventListener("toggle", function () { if (menu.open) firstLoad(); });
    }
  }

  // A list's sort: choosing one applies it (the Apply button does the same without JS).
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });

  // Selecting subprojects for removal: "select all on this page", and how many are ticked.
  const bulk = document.querySelector("form[data-bulk]");
  if (bulk) {
    const boxes = Array.from(document.querySelectorAll("input[name=ids][form='" + bulk.id + "']"));
    const all = document.querySelector("[data-select-all]");
    const count = bulk.querySelector("[data-bulk-count]");
    const submit = bulk.querySelector("[data-bulk-submit]");
    const update = function () {
      const ticked = boxes.filter(function (box) { return box.checked; }).length;
      count.textContent = ticked ? ticked + " selected" : "";
      submit.disabled = ticked === 0;
      if (all) {
        all.checked = ticked === boxes.length && ticked > 0;
        all.indeterminate = ticked > 0 && ticked < boxes.length;
      }
    };
    if (all) {
      all.hidden = false;
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
  }

  // The labels editor: rows of name and value instead of the text box, which is then
  // disabled so that only the rows are sent.
  document.querySelectorAll("[data-labels-editor]").forEach(function (editor) {
    const form = editor.closest("form");
    const text = form.querySelector("[data-labels-text]");
    const rows = editor.querySelector("[data-label-rows]");
    const template = editor.querySelector("[data-label-row-template]");
    editor.hidden = false;
    editor.disabled = false;
    if (text) {
      text.hidden = true;
      text.querySelectorAll("textarea").forEach(function (area) { area.disabled = true; });
    }
    const addRow = function () {
      rows.appendChild(template.content.cloneNode(true));
      return rows.lastElementChild;
    };
    editor.querySelector("[data-add-label]").addEventListener("click", function () {
      addRow().querySelector("input").focus();
    });
    rows.addEventListener("click", function (event) {
      const remove = event.target.closest("[data-remove-label]");
      if (!remove) return;
      const row = remove.closest("li");
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      const focus = next || addRow();
      focus.querySelector("input").focus();
    });
  });

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
