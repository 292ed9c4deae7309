// Tags page (/pipelines/{id}/tags): drag-and-drop reordering with SortableJS, color changes saved at once,
// errors of htmx requests shown in the status line. Every action also works as a plain form without this file.
(function () {
    "use strict";

    function status(kind, text) {
        var region = document.getElementById("tag-status");
        if (!region) { return; }
        region.replaceChildren();
        var alert = document.createElement("div");
        alert.className = "alert py-2 mb-3 alert-" + kind;
        alert.textContent = text;
        region.appendChild(alert);
    }

    // Drag by the grip; on drop, post every tag id in the new order and swap in the panel the server answers.
    function initSortable(list) {
        if (list.dataset.sortable === "1" || typeof Sortable === "undefined") { return; }
        list.dataset.sortable = "1";
        var before = null;
        var sortable = Sortable.create(list, {
            handle: ".tag-grip",
            draggable: ".tag-row",
            animation: 150,
            ghostClass: "tag-ghost",
            onStart: function () { before = sortable.toArray(); },
            onEnd: function (e) {
                if (e.oldIndex === e.newIndex) { return; }
                var ids = sortable.toArray();
                var body = new URLSearchParams();
                ids.forEach(function (id) { body.append("tagIds", id); });
                sortable.option("disabled", true);
                Atende.post(list.dataset.reorderUrl, body, { "HX-Request": "true" }).then(function (response) {
                    if (!response.ok) { throw new Error(String(response.status)); }
                    return response.text();
                }).then(function (html) {
                    htmx.swap("#tag-panel", html, { swapStyle: "outerHTML" });
                }).catch(function () {
                    sortable.sort(before, true);
                    sortable.option("disabled", false);
                    status("danger", "Não foi possível salvar a nova ordem. Verifique a conexão e tente de novo, ou recarregue a página.");
                });
            },
        });
    }

    htmx.onLoad(function (elt) {
        var list = elt.id === "tag-list" ? elt : elt.querySelector("#tag-list");
        if (list) { initSortable(list); }
        // Enter saves a name: the Salvar button shows up only once the name is changed.
        elt.querySelectorAll(".tag-edit").forEach(function (form) {
            var name = form.querySelector("input[name='Form.Name']");
            var save = form.querySelector("button[type='submit']");
            if (name && save && !name.classList.contains("is-invalid")) { save.classList.add("tag-save-idle"); }
        });
    });
    document.addEventListener("input", function (e) {
        var form = e.target.closest(".tag-edit");
        if (form) { form.querySelectorAll(".tag-save-idle").forEach(function (b) { b.classList.remove("tag-save-idle"); }); }
    });

    // A new color is saved as soon as it is picked (the Salvar button stays for the name and for browsers without JS).
    document.addEventListener("change", function (e) {
        var input = e.target.closest("#tag-panel [data-autosubmit]");
        if (input && input.form) { input.form.requestSubmit(); }
    });

    // htmx does not swap error answers: say so instead of doing nothing.
    document.addEventListener("htmx:responseError", function (e) {
        var code = e.detail.xhr ? e.detail.xhr.status : 0;
        status("danger", code === 404
            ? "Este fluxo ou etiqueta não existe mais, ou você não tem mais acesso a ele. Recarregue a página."
            : "Não foi possível salvar (erro " + code + "). Recarregue a página e tente de novo.");
    });
    document.addEventListener("htmx:sendError", function () {
        status("danger", "Sem conexão com o servidor. Verifique a rede e tente de novo.");
    });

    // After the first change made in place, the message of the last full page load is old news.
    document.addEventListener("htmx:afterSwap", function () {
        document.querySelectorAll("main > .flash").forEach(function (flash) { flash.remove(); });
    });
})();
