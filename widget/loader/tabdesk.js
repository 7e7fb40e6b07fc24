// Tabdesk loader: the one <script> a site owner embeds.
//
//   <script src="https://WORKER/tabdesk.js" data-site="demo" async></script>
//
// Before the visitor shows intent it makes no request, writes no storage and sets no cookie:
// it only draws the launcher inside a shadow root (host CSS cannot reach it, its CSS cannot leak
// out; open, so the site's own browser tests and audits find the launcher by role and name).
// Hover or focus preconnects; a click injects the widget's iframe, which runs on the worker's
// origin. Messages between the two are checked against that exact origin and that frame.
//
// The page drives it with window.Tabdesk(command, ...args) (calls made before this script ran
// wait in Tabdesk.q): open, close, toggle, search(query), showArticle(id), prefill({subject,
// message, email, name, category, fields}), identify({token}) with the site's signed token for
// its signed-in customer (README, "Signed identity"), setLocale("ru"|"en"), on(event, fn) and
// off(event, fn) for the events
// open, close, ticket:created, article:viewed and message:received. The messages are typed in core
// (`HostMessage`, `WidgetMessage`, `HostEvent`).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || window.__tabdesk) return;
  window.__tabdesk = true;

  var origin = new URL(script.src).origin;
  var data = script.dataset;
  var site = data.site || "";
  var channel = data.channel || "site";
  // The page says which language it speaks, else the browser does.
  var lang = (data.locale || document.documentElement.lang || (navigator.languages || [])[0] || "en")
    .toLowerCase()
    .split(/[-_]/)[0];
  var locale = lang === "ru" ? "ru" : "en";
  // The site's text for the launcher in this language (data-label-ru, data-label-en), else its
  // one text (data-label), else ours.
  var named = function () {
    return data[locale === "ru" ? "labelRu" : "labelEn"] || data.label || (locale === "ru" ? "Поддержка" : "Support");
  };
  var label = named();

  // The look, from the snippet's attributes (the site's theme, written out by the console):
  // drawn right away, with nothing fetched.
  var accent = /^#[0-9a-f]{6}$/i.test(data.accent || "") ? data.accent : "#1f5eff";
  var rtl = (document.documentElement.getAttribute("dir") || "").toLowerCase() === "rtl";
  // Right-to-left pages get the tab on the left unless the site says otherwise.
  var side = data.position === "left" || (rtl && data.position !== "right") ? "left" : "right";
  var offset = (data.offset || "").split(",");
  var px = function (value, fallback) {
    var n = parseInt(value, 10);
    return n >= 0 && n <= 400 ? n : fallback;
  };
  var x = px(offset[0], 20);
  var y = px(offset[1], 20);
  var z = parseInt(data.zIndex, 10);
  z = z > 0 && z < 2147483647 ? z : 2147483646;
  // White or near-black text, whichever contrasts more with the accent (core's `text_on`).
  var lum = [1, 3, 5].reduce(function (sum, i, k) {
    var c = parseInt(accent.substr(i, 2), 16) / 255;
    c = c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    return sum + [0.2126, 0.7152, 0.0722][k] * c;
  }, 0);
  var ink = 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0556 ? "#fff" : "#111";
  var icons = {
    chat: '<path d="M4 4h16v12H7l-3 3z"/>',
    help: '<circle cx="12" cy="12" r="10"/><text x="12" y="17" text-anchor="middle" font-size="14" font-weight="700" fill="' + accent + '">?</text>'
  };
  var icon = icons[data.icon || "chat"];

  var css =
    ":host{all:initial}" +
    "button{position:fixed;z-index:" + z + ";" + side + ":" + x + "px;bottom:" + y + "px;display:flex;align-items:center;gap:8px;" +
    "padding:12px 18px;border:0;border-radius:24px;background:" + accent + ";color:" + ink + ";cursor:pointer;" +
    "font:600 15px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    "button:hover{filter:brightness(.92)}button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    "svg{width:18px;height:18px;fill:currentColor}" +
    "iframe{position:fixed;z-index:" + (z + 1) + ";" + side + ":" + x + "px;bottom:" + (y + 60) + "px;width:380px;" +
    "height:min(640px,calc(100vh - " + (y + 80) + "px));border:0;border-radius:12px;background:#fff;box-shadow:0 8px 32px rgba(0,0,0,.3)}" +
    "iframe[hidden]{display:none}" +
    // Phones: the panel takes the screen, inside its safe area (a notch, the home indicator).
    "@media (max-width:480px){button{bottom:calc(16px + env(safe-area-inset-bottom,0px))}" +
    "iframe{top:env(safe-area-inset-top,0px);left:env(safe-area-inset-left,0px);right:auto;" +
    "width:calc(100% - env(safe-area-inset-left,0px) - env(safe-area-inset-right,0px));" +
    "height:calc(100% - env(safe-area-inset-top,0px) - env(safe-area-inset-bottom,0px));border-radius:0}}" +
    "@media (prefers-reduced-motion:no-preference){button{transition:filter .15s}}";

  var host = document.createElement("div");
  host.setAttribute("data-tabdesk", "");
  // The page's own CSS may hide or restyle every element; an important inline declaration,
  // set through the CSSOM (which a strict CSP allows), is the one thing it cannot override.
  host.style.setProperty("all", "initial", "important");
  host.style.setProperty("display", "block", "important");
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    // A constructed sheet works under host pages whose CSP forbids inline styles.
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    var style = document.createElement("style");
    style.textContent = css;
    root.appendChild(style);
  }
  var button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-expanded", "false");
  if (icon) button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true">' + icon + "</svg>";
  button.appendChild(document.createTextNode(label));
  root.appendChild(button);

  var frame = null;
  var open = false;
  var warmed = false;
  // Messages for the widget wait here until it says it is ready.
  var ready = false;
  var waiting = [];
  var identity = null;
  var listeners = {};
  var warned = {};

  function emit(name, detail) {
    (listeners[name] || []).slice().forEach(function (fn) {
      // A listener's error is the page's, not ours: reported, never in our way.
      try {
        fn(detail);
      } catch (e) {
        setTimeout(function () {
          throw e;
        });
      }
    });
  }

  function warm() {
    if (warmed) return;
    warmed = true;
    var link = document.createElement("link");
    link.rel = "preconnect";
    link.href = origin;
    document.head.appendChild(link);
  }

  function httpUrl(url) {
    return /^https?:/i.test(url || "") ? url.slice(0, 2048) : null;
  }

  var prefix = "tabdesk:" + site + ":";

  function restore() {
    var items = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) items[key] = localStorage.getItem(key);
      }
    } catch (e) {}
    return items;
  }

  function post(message) {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage(message, origin);
  }

  function send(message) {
    if (ready) post(message);
    else waiting.push(message);
  }

  function load() {
    ready = false;
    frame.title = label;
    frame.src =
      origin + "/embed?site=" + encodeURIComponent(site) + "&locale=" + locale +
      "&origin=" + encodeURIComponent(location.origin);
  }

  function show() {
    if (!frame) {
      frame = document.createElement("iframe");
      load();
      root.appendChild(frame);
    } else if (!open) {
      post({ type: "tabdesk:open" });
    }
    frame.hidden = false;
    if (!open) emit("open", { name: "open" });
    open = true;
    button.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function hide() {
    if (!open) return;
    open = false;
    frame.hidden = true;
    // The widget stops refreshing what it shows while hidden.
    post({ type: "tabdesk:close" });
    button.setAttribute("aria-expanded", "false");
    button.focus();
    emit("close", { name: "close" });
  }

  button.addEventListener("click", function () {
    open ? hide() : show();
  });
  button.addEventListener("pointerenter", warm);
  button.addEventListener("focus", warm);
  document.addEventListener("keydown", function (event) {
    if (open && event.key === "Escape") hide();
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !frame || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (!message || typeof message !== "object") return;
    if (message.type === "tabdesk:close") hide();
    if (message.type === "tabdesk:ready") {
      post({
        type: "tabdesk:context",
        context: { page_url: httpUrl(location.href), referrer: httpUrl(document.referrer), channel: channel }
      });
      post({ type: "tabdesk:restore", items: restore() });
      if (identity) post({ type: "tabdesk:identify", token: identity });
      ready = true;
      waiting.splice(0).forEach(post);
    }
    if (message.type === "tabdesk:event" && message.event && typeof message.event.name === "string") {
      emit(message.event.name, message.event);
    }
    // Browsers that deny storage to third-party iframes: the widget keeps drafts and queued
    // requests here, on the page's origin, under its own prefix (only after the visitor opened it).
    if (message.type === "tabdesk:store" && typeof message.key === "string" && message.key.indexOf(prefix) === 0) {
      try {
        if (typeof message.value === "string") localStorage.setItem(message.key, message.value);
        else localStorage.removeItem(message.key);
      } catch (e) {}
    }
  });

  var commands = {
    open: show,
    close: hide,
    toggle: function () {
      open ? hide() : show();
    },
    search: function (query) {
      show();
      send({ type: "tabdesk:search", query: String(query || "").slice(0, 200) });
    },
    showArticle: function (id) {
      show();
      send({ type: "tabdesk:article", id: String(id || "") });
    },
    // The site's signed token for its signed-in customer (null when they sign out).
    // Kept here, and given again to a widget loaded anew (another language). Without a token,
    // a name and an email are only a prefill: unverified, and not enough where the site
    // requires signed customers.
    identify: function (who) {
      identity = who && typeof who.token === "string" ? who.token.slice(0, 4096) : null;
      if (ready) post({ type: "tabdesk:identify", token: identity });
      if (!identity && who) commands.prefill({ name: who.name, email: who.email });
    },
    // Another language: the launcher's text at once, the widget loaded anew in it (drafts and
    // queued requests wait in storage).
    setLocale: function (tag) {
      var asked = String(tag || "").toLowerCase().split(/[-_]/)[0];
      if ((asked !== "ru" && asked !== "en") || asked === locale) return;
      locale = asked;
      label = named();
      button.lastChild.textContent = label;
      if (frame) load();
    },
    prefill: function (values) {
      if (values && typeof values === "object") send({ type: "tabdesk:prefill", values: JSON.stringify(values) });
    },
    on: function (name, fn) {
      if (typeof fn === "function") (listeners[name] = listeners[name] || []).push(fn);
    },
    off: function (name, fn) {
      listeners[name] = (listeners[name] || []).filter(function (f) {
        return f !== fn;
      });
    }
  };
  var queued = (window.Tabdesk && window.Tabdesk.q) || [];
  window.Tabdesk = function (command) {
    var run = commands.hasOwnProperty(command) && commands[command];
    if (run) run.apply(null, [].slice.call(arguments, 1));
    else if (!warned[command]) {
      warned[command] = true;
      console.warn("Tabdesk: unknown command " + JSON.stringify(String(command)));
    }
  };
  queued.forEach(function (args) {
    window.Tabdesk.apply(null, args);
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
