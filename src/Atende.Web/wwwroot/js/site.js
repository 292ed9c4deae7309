// Atende: small progressive enhancements. Every page works without this file.

// The one way scripts post to the app's own pages (tags.js, tickets.js, agenda.js): same origin, form-encoded, with the
// anti-forgery token of the page (the hidden field its forms carry). Atende.post(url, fields, headers) → fetch's promise.
window.Atende = window.Atende || {};
(function (Atende) {
    "use strict";
    Atende.token = function () {
        var input = document.querySelector("input[name='__RequestVerificationToken']");
        return input ? input.value : "";
    };
    Atende.post = function (url, fields, headers) {
        var all = { "RequestVerificationToken": Atende.token(), "Content-Type": "application/x-www-form-urlencoded" };
        Object.keys(headers || {}).forEach(function (name) { all[name] = headers[name]; });
        var body = fields instanceof URLSearchParams ? fields : new URLSearchParams(fields || {});
        return fetch(url, { method: "POST", credentials: "same-origin", headers: all, body: body });
    };
})(window.Atende);

(function () {
    "use strict";

    // Send the anti-forgery token with every htmx request.
    document.addEventListener("htmx:configRequest", function (e) {
        var token = Atende.token();
        if (token) { e.detail.headers["RequestVerificationToken"] = token; }
    });

    // A dismissed banner stays closed for the rest of the session: <button data-dismiss-cookie="name">.
    document.addEventListener("click", function (e) {
        var close = e.target.closest("[data-dismiss-cookie]");
        if (close) { document.cookie = close.dataset.dismissCookie + "=1; path=/; SameSite=Lax"; }
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
// A pane rendered empty (hx-get, hx-trigger="tab-shown once") loads its content the first time its tab is shown.
(function () {
    "use strict";
    document.addEventListener("shown.bs.tab", function (e) {
        var href = e.target.getAttribute("href");
        if (href && /^\?(.*&)?tab=/.test(href)) { history.replaceState(null, "", href); }
        var pane = document.querySelector(e.target.getAttribute("data-bs-target"));
        if (pane && pane.hasAttribute("hx-get") && window.htmx) { window.htmx.trigger(pane, "tab-shown"); }
    });
})();

// Search boxes inside a form (<input data-enter-search hx-get=…>): Enter searches instead of submitting the form.
(function () {
    "use strict";
    document.addEventListener("keydown", function (e) {
        var input = e.target;
        if (e.key !== "Enter" || !input.matches || !input.matches("[data-enter-search]") || !window.htmx) { return; }
        e.preventDefault();
        htmx.trigger(input, "search");
    });
})();

// File pickers with drag and drop: <div data-dropzone data-max-bytes="26214400"><input type="file" name="files" multiple></div>.
// The input stays the real control (focusable, opens the picker, submitted with the form); dropped files are put into
// it through DataTransfer, and the chosen files are listed with their size and a button to remove each. Files over
// data-max-bytes are only flagged: the server decides.
(function () {
    "use strict";
    var canSetFiles = (function () { try { return !!new DataTransfer(); } catch (e) { return false; } })();
    var count = 0;

    function formatSize(bytes) {
        var units = [[1073741824, "GB"], [1048576, "MB"], [1024, "KB"]];
        for (var i = 0; i < units.length; i++) {
            if (bytes >= units[i][0]) {
                return (bytes / units[i][0]).toLocaleString("pt-BR", { maximumFractionDigits: 1 }) + " " + units[i][1];
            }
        }
        return bytes + (bytes === 1 ? " byte" : " bytes");
    }

    function hasFiles(e) {
        return !!e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], "Files") >= 0;
    }

    function element(tag, className, text) {
        var el = document.createElement(tag);
        if (className) { el.className = className; }
        if (text) { el.textContent = text; }
        return el;
    }

    function enhance(zone) {
        var input = zone.querySelector("input[type='file']");
        if (!input || zone.dataset.dropzoneReady) { return; }
        zone.dataset.dropzoneReady = "1";
        zone.classList.add("dropzone");
        var max = parseInt(zone.dataset.maxBytes || "0", 10);
        var id = input.id || (input.id = "dropzone-" + (++count));
        var files = [];
        var syncing = false;

        var target = element("div", "dropzone-target");
        input.parentNode.insertBefore(target, input);
        var label = element("label", "dropzone-label");
        label.htmlFor = id;
        label.appendChild(element("i", "bi bi-cloud-arrow-up"));
        label.firstChild.setAttribute("aria-hidden", "true");
        label.appendChild(element("span", "", input.multiple ? "Escolher arquivos ou arraste aqui" : "Escolher arquivo ou arraste aqui"));
        target.appendChild(label);
        if (max > 0) {
            var hint = element("span", "dropzone-hint", "Até " + formatSize(max) + " por arquivo");
            hint.id = id + "-hint";
            target.appendChild(hint);
            input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + hint.id).trim());
        }
        target.appendChild(input);
        input.classList.add("dropzone-input");
        var list = element("ul", "dropzone-list list-unstyled");
        list.setAttribute("aria-live", "polite");
        target.parentNode.insertBefore(list, target.nextSibling);

        function same(a, b) { return a.name === b.name && a.size === b.size && a.lastModified === b.lastModified; }

        function add(chosen) {
            var incoming = Array.prototype.slice.call(chosen || []);
            if (!input.multiple) { files = incoming.slice(0, 1); return; }
            incoming.forEach(function (f) {
                if (!files.some(function (g) { return same(f, g); })) { files.push(f); }
            });
        }

        function render() {
            list.textContent = "";
            files.forEach(function (f, i) {
                var item = element("li", "dropzone-file");
                var icon = element("i", "bi bi-file-earmark");
                icon.setAttribute("aria-hidden", "true");
                item.appendChild(icon);
                item.appendChild(element("span", "dropzone-name", f.name));
                item.appendChild(element("span", "dropzone-size", formatSize(f.size)));
                if (max > 0 && f.size > max) {
                    item.classList.add("too-large");
                    item.appendChild(element("span", "dropzone-warning", "maior que o limite de " + formatSize(max)));
                }
                if (canSetFiles) {
                    var remove = element("button", "btn btn-sm btn-link dropzone-remove");
                    remove.type = "button";
                    remove.dataset.index = String(i);
                    remove.setAttribute("aria-label", "Remover " + f.name);
                    remove.title = "Remover";
                    var x = element("i", "bi bi-x-lg");
                    x.setAttribute("aria-hidden", "true");
                    remove.appendChild(x);
                    item.appendChild(remove);
                }
                list.appendChild(item);
            });
        }

        // Puts the list back into the input and tells other listeners (change) that it changed.
        function sync() {
            if (canSetFiles) {
                var transfer = new DataTransfer();
                files.forEach(function (f) { transfer.items.add(f); });
                input.files = transfer.files;
                syncing = true;
                input.dispatchEvent(new Event("change", { bubbles: true }));
                syncing = false;
            }
            render();
        }

        input.addEventListener("change", function () {
            if (syncing) { return; }
            if (canSetFiles) { add(input.files); sync(); } else { files = Array.prototype.slice.call(input.files); render(); }
        });

        var depth = 0;
        zone.addEventListener("dragenter", function (e) {
            if (!hasFiles(e)) { return; }
            e.preventDefault();
            depth++;
            zone.classList.add("dragover");
        });
        zone.addEventListener("dragover", function (e) {
            if (!hasFiles(e)) { return; }
            e.preventDefault();
            e.dataTransfer.dropEffect = "copy";
            zone.classList.add("dragover");
        });
        zone.addEventListener("dragleave", function () {
            depth = Math.max(0, depth - 1);
            if (depth === 0) { zone.classList.remove("dragover"); }
        });
        zone.addEventListener("drop", function (e) {
            if (!hasFiles(e)) { return; }
            e.preventDefault();
            depth = 0;
            zone.classList.remove("dragover");
            if (canSetFiles) {
                add(e.dataTransfer.files);
                sync();
            } else {
                input.files = e.dataTransfer.files;
                files = Array.prototype.slice.call(input.files);
                render();
            }
        });

        list.addEventListener("click", function (e) {
            var remove = e.target.closest(".dropzone-remove");
            if (!remove) { return; }
            var index = parseInt(remove.dataset.index, 10);
            files.splice(index, 1);
            sync();
            var buttons = list.querySelectorAll(".dropzone-remove");
            (buttons[Math.min(index, buttons.length - 1)] || input).focus();
        });

        if (input.form) {
            input.form.addEventListener("reset", function () { files = []; render(); });
        }
        add(input.files);
        render();
    }

    function enhanceAll(root) {
        if (root.matches && root.matches("[data-dropzone]")) { enhance(root); }
        if (root.querySelectorAll) { root.querySelectorAll("[data-dropzone]").forEach(enhance); }
    }

    enhanceAll(document);
    document.addEventListener("htmx:load", function (e) { enhanceAll(e.detail.elt); });

    // A file dropped just beside a drop zone must not replace the page (and the form being filled) with the file.
    ["dragover", "drop"].forEach(function (type) {
        document.addEventListener(type, function (e) {
            if (hasFiles(e) && document.querySelector("[data-dropzone]") && !e.target.closest("[data-dropzone]")) {
                e.preventDefault();
                if (e.dataTransfer) { e.dataTransfer.dropEffect = "none"; }
            }
        });
    });

    // Date and time fields (Pages/Shared/_DateTimeInput.cshtml): a digits keyboard on phones, and the separators of
    // "dd/mm/aaaa hh:mm" added as one types at the end. Separators typed by hand are kept; the server reads the text.
    var datetimeSteps = [[/^\d{2}$/, "/"], [/^\d{1,2}\/\d{2}$/, "/"], [/^\d{1,2}\/\d{1,2}\/\d{4}$/, " "], [/^\d{1,2}\/\d{1,2}\/\d{4} \d{2}$/, ":"]];
    function enhanceDatetimes(root) {
        root.querySelectorAll("[data-datetime-input]").forEach(function (input) { input.setAttribute("inputmode", "numeric"); });
    }
    enhanceDatetimes(document);
    document.addEventListener("htmx:load", function (e) { enhanceDatetimes(e.detail.elt); });
    document.addEventListener("input", function (e) {
        var input = e.target;
        if (!input.matches || !input.matches("[data-datetime-input]") || e.inputType !== "insertText" || !/^\d$/.test(e.data || "")) { return; }
        if (input.selectionStart !== input.value.length) { return; }
        datetimeSteps.some(function (step) {
            if (!step[0].test(input.value)) { return false; }
            input.value += step[1];
            return true;
        });
    });

    // Error summary (Pages/Shared/_ErrorSummary.cshtml): a link focuses its field, not only scrolls to it.
    document.addEventListener("click", function (e) {
        var link = e.target.closest(".error-summary a[data-error-for]");
        if (!link) { return; }
        var field = document.getElementById(link.dataset.errorFor);
        if (!field) { return; }
        e.preventDefault();
        field.focus({ preventScroll: true });
        field.scrollIntoView({ block: "center" });
    });

    // Copy buttons (the webhook secret): <button data-copy="#field">; without JavaScript the field is selected to copy by hand.
    document.addEventListener("click", function (e) {
        var button = e.target.closest("[data-copy]");
        if (!button) { return; }
        var field = document.querySelector(button.dataset.copy);
        if (!field) { return; }
        field.select();
        var done = function () {
            button.textContent = button.dataset.copiedText || "Copiado";
        };
        if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(field.value).then(done); }
        else if (document.execCommand && document.execCommand("copy")) { done(); }
    });
    document.addEventListener("focusin", function (e) {
        if (e.target.matches && e.target.matches("[data-select-on-focus]")) { e.target.select(); }
    });
})();
