// Atende: small progressive enhancements. Every page works without this file.
(function () {
    "use strict";

    // Send the anti-forgery token with every htmx request.
    document.addEventListener("htmx:configRequest", function (e) {
        var token = document.querySelector("input[name='__RequestVerificationToken']");
        if (token) { e.detail.headers["RequestVerificationToken"] = token.value; }
    });

    // Mobile menu.
    document.addEventListener("click", function (e) {
        var toggle = e.target.closest("[data-toggle-sidebar]");
        if (toggle) { document.getElementById("sidebar").classList.toggle("open"); }
    });

    // Confirmation before destructive actions: <form data-confirm="Texto">, posted normally or through htmx.
    var pending = null;
    function ask(text, button, proceed) {
        pending = proceed;
        document.getElementById("confirm-text").textContent = text;
        document.getElementById("confirm-ok").textContent = button || "Confirmar";
        bootstrap.Modal.getOrCreateInstance(document.getElementById("confirm-modal")).show();
    }
    document.addEventListener("submit", function (e) {
        if (e.defaultPrevented) { return; } // an htmx form: it asks through htmx:confirm below
        var form = e.target;
        var submitter = e.submitter;
        var text = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
        if (!text || form.dataset.confirmed === "1") { return; }
        e.preventDefault();
        ask(text, (submitter && submitter.dataset.confirmButton) || form.dataset.confirmButton, function () {
            form.dataset.confirmed = "1";
            if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
        });
    });
    document.addEventListener("htmx:confirm", function (e) {
        var elt = e.detail.elt;
        var submitter = e.detail.triggeringEvent && e.detail.triggeringEvent.submitter;
        var text = (submitter && submitter.dataset.confirm) || elt.dataset.confirm;
        if (!text) { return; }
        e.preventDefault();
        ask(text, (submitter && submitter.dataset.confirmButton) || elt.dataset.confirmButton, function () { e.detail.issueRequest(true); });
    });
    document.addEventListener("click", function (e) {
        if (e.target.id !== "confirm-ok" || !pending) { return; }
        var proceed = pending; pending = null;
        bootstrap.Modal.getOrCreateInstance(document.getElementById("confirm-modal")).hide();
        proceed();
    });

    // Repeatable rows (phones, e-mails, social profiles): <div data-repeat="phones" data-max="3">
    // holds rows; a <template data-repeat-template="phones"> gives a new row with __i__ as index.
    function renumber(container) {
        var name = container.dataset.repeat;
        var rows = container.querySelectorAll(":scope > .repeat-row");
        rows.forEach(function (row, i) {
            row.querySelectorAll("[name]").forEach(function (el) {
                el.name = el.name.replace(new RegExp(name + "\\[\\d+\\]", "i"), name + "[" + i + "]");
            });
            row.querySelectorAll("[id]").forEach(function (el) { el.id = el.id.replace(/_\d+(_|$)/, "_" + i + "$1"); });
            row.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = el.htmlFor.replace(/_\d+(_|$)/, "_" + i + "$1"); });
        });
        var max = parseInt(container.dataset.max || "0", 10);
        var add = document.querySelector("[data-repeat-add='" + name + "']");
        if (add) { add.disabled = max > 0 && rows.length >= max; }
    }
    document.addEventListener("click", function (e) {
        var add = e.target.closest("[data-repeat-add]");
        if (add) {
            var name = add.dataset.repeatAdd;
            var container = document.querySelector("[data-repeat='" + name + "']");
            var template = document.querySelector("template[data-repeat-template='" + name + "']");
            var count = container.querySelectorAll(":scope > .repeat-row").length;
            var html = template.innerHTML.replace(/__i__/g, String(count));
            container.insertAdjacentHTML("beforeend", html);
            renumber(container);
            var rows = container.querySelectorAll(":scope > .repeat-row");
            var focus = rows[rows.length - 1].querySelector("input, select");
            if (focus) { focus.focus(); }
            return;
        }
        var remove = e.target.closest("[data-repeat-remove]");
        if (remove) {
            var row = remove.closest(".repeat-row");
            var parent = row.parentElement;
            row.remove();
            renumber(parent);
        }
    });
    document.querySelectorAll("[data-repeat]").forEach(renumber);
})();

// Tabs rendered by the server (?tab=…) switch in place when JavaScript runs; the URL follows so reload and back work.
(function () {
    "use strict";
    document.addEventListener("shown.bs.tab", function (e) {
        var href = e.target.getAttribute("href");
        if (href && href.startsWith("?tab=")) { history.replaceState(null, "", href); }
    });
})();
