// Atende tickets: drag and drop of tags and board cards, form helpers, "Inserir modelo" (with rich-text.js).
// Every action here also exists as a plain form or link, so the pages work without this file.
(function () {
    "use strict";

    // site.js's Atende.post, as htmx would post (the server answers fragments); a refusal becomes the server's message.
    function post(url, fields) {
        return Atende.post(url, fields, { "HX-Request": "true" }).then(function (response) {
            if (response.ok) { return response; }
            return response.json().catch(function () { return {}; }).then(function (data) {
                throw new Error(data.error || "Não foi possível salvar. Recarregue a página e tente de novo.");
            });
        });
    }

    function showError(message) {
        var box = document.createElement("div");
        box.className = "alert alert-danger alert-dismissible fade show flash";
        box.setAttribute("role", "alert");
        box.textContent = message;
        var close = document.createElement("button");
        close.type = "button"; close.className = "btn-close"; close.setAttribute("data-bs-dismiss", "alert"); close.setAttribute("aria-label", "Fechar");
        box.appendChild(close);
        document.getElementById("main").prepend(box);
    }

    function reloadResults() {
        var results = document.getElementById("results");
        if (results && window.htmx) {
            window.htmx.ajax("GET", window.location.pathname + window.location.search, { target: "#results", swap: "outerHTML" });
        } else {
            window.location.reload();
        }
    }

    // Catalog item → value: the item's default price fills the value unless the user typed another one.
    document.addEventListener("change", function (e) {
        var select = e.target.closest("select[data-fills-price]");
        if (!select) { return; }
        var target = document.querySelector(select.dataset.fillsPrice);
        var option = select.selectedOptions[0];
        if (!target || !option || !option.dataset.price) { return; }
        if (target.value === "" || target.value === (select.dataset.lastPrice || "")) {
            target.value = option.dataset.price;
        }
        select.dataset.lastPrice = option.dataset.price;
    });

    // Category → only its subcategories are offered.
    function filterSubcategories(select) {
        var target = document.querySelector(select.dataset.filters);
        if (!target) { return; }
        target.querySelectorAll("optgroup").forEach(function (group) {
            var show = select.value === "" || group.dataset.parent === select.value;
            group.hidden = !show;
            group.disabled = !show;
        });
        var chosen = target.selectedOptions[0];
        if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) { target.value = ""; }
    }
    document.addEventListener("change", function (e) {
        var select = e.target.closest("select[data-filters]");
        if (select) { filterSubcategories(select); }
    });
    document.querySelectorAll("select[data-filters]").forEach(filterSubcategories);

    // Ticket page: "Trocar" opens the requester search in place; a choice sets the partner and reloads the contacts
    // (none chosen, or the only one); Escape closes the search; "Cancelar" puts back the saved partner. Saving the form applies it.
    document.querySelectorAll("[data-partner-picker]").forEach(function (picker) {
        var hidden = picker.querySelector("input[name='Input.PartnerId']");
        var name = picker.querySelector("[data-partner-name]");
        var toggle = picker.querySelector("[data-partner-change]");
        var cancel = picker.querySelector("[data-partner-cancel]");
        var note = picker.querySelector("[data-partner-note]");
        var panel = document.getElementById("partner-panel");
        var search = document.getElementById("partner-q");
        var contacts = document.getElementById("Input_ContactId");
        var searchForm = document.getElementById("partner-search-form");
        var original = { contacts: contacts.innerHTML, contact: contacts.value };

        function refresh() {
            if (!window.htmx) { return; }
            var url = search.getAttribute("hx-get") + "&partnerQ=" + encodeURIComponent(search.value);
            window.htmx.ajax("GET", url, { target: "#partner-choices", swap: "outerHTML" });
        }
        function open(show) {
            panel.hidden = !show;
            toggle.setAttribute("aria-expanded", show ? "true" : "false");
            cancel.hidden = !show && hidden.value === picker.dataset.originalId;
            if (show) {
                search.focus();
                if (!panel.querySelector("#partner-choices a")) { refresh(); }
            }
        }
        function showPartner(id, label) {
            hidden.value = id;
            name.textContent = label;
            name.href = "/partners/" + id;
            name.classList.remove("text-danger");
            name.classList.toggle("fw-semibold", id !== picker.dataset.originalId);
            note.hidden = id === picker.dataset.originalId;
            var error = document.getElementById("PartnerId-error");
            if (error) { error.remove(); }
        }
        function restore() {
            showPartner(picker.dataset.originalId, picker.dataset.originalName);
            contacts.innerHTML = original.contacts;
            contacts.value = original.contact;
            open(false);
            toggle.focus();
        }
        function choose(id, label) {
            fetch(picker.dataset.contactsUrl + encodeURIComponent(id), { credentials: "same-origin", headers: { "Accept": "application/json" } })
                .then(function (response) {
                    if (!response.ok) { throw new Error("Não foi possível carregar os contatos da entidade. Recarregue a página e tente de novo."); }
                    return response.json();
                })
                .then(function (list) {
                    var empty = document.createElement("option");
                    empty.value = "";
                    empty.textContent = "— sem contato —";
                    contacts.replaceChildren(empty);
                    list.forEach(function (c) {
                        var option = document.createElement("option");
                        option.value = c.id;
                        option.textContent = c.name;
                        contacts.appendChild(option);
                    });
                    contacts.value = list.length === 1 ? String(list[0].id) : "";
                    showPartner(String(id), label);
                    open(false);
                    toggle.focus();
                })
                .catch(function (err) { showError(err.message); });
        }

        toggle.addEventListener("click", function (e) {
            e.preventDefault();
            open(panel.hidden);
        });
        cancel.addEventListener("click", function (e) {
            e.preventDefault();
            restore();
        });
        panel.addEventListener("click", function (e) {
            var link = e.target.closest("a[data-partner-id]");
            if (!link) { return; }
            e.preventDefault();
            choose(link.dataset.partnerId, link.dataset.partnerName);
        });
        panel.addEventListener("keydown", function (e) {
            if (e.key === "Escape") {
                e.preventDefault();
                open(false);
                toggle.focus();
            }
        });
        if (!panel.hidden && !panel.querySelector("#partner-choices a")) { refresh(); }
        // Enter or "Buscar" searches in place instead of leaving the page.
        searchForm.addEventListener("submit", function (e) {
            if (!window.htmx) { return; }
            e.preventDefault();
            refresh();
        });
    });

    // Drag a tag chip onto a ticket row (list) or onto the ticket form.
    var tagType = "application/x-atende-tag";
    document.addEventListener("dragstart", function (e) {
        var chip = e.target.closest && e.target.closest("[data-tag-id][draggable='true']");
        if (!chip) { return; }
        e.dataTransfer.setData(tagType, chip.dataset.tagId);
        e.dataTransfer.setData("text/plain", chip.dataset.tagName || "");
        e.dataTransfer.effectAllowed = "copy";
        document.body.classList.add("dragging-tag");
    });
    document.addEventListener("dragend", function () {
        document.body.classList.remove("dragging-tag");
        document.querySelectorAll(".drop-hover").forEach(function (el) { el.classList.remove("drop-hover"); });
    });
    function dropTarget(e) {
        if (!e.dataTransfer || Array.prototype.indexOf.call(e.dataTransfer.types, tagType) < 0) { return null; }
        return e.target.closest("#results tr[data-ticket-id], [data-tag-drop-form]");
    }
    document.addEventListener("dragover", function (e) {
        var target = dropTarget(e);
        if (!target) { return; }
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
        target.classList.add("drop-hover");
    });
    document.addEventListener("dragleave", function (e) {
        var target = dropTarget(e);
        if (target && !target.contains(e.relatedTarget)) { target.classList.remove("drop-hover"); }
    });
    document.addEventListener("drop", function (e) {
        var target = dropTarget(e);
        if (!target) { return; }
        e.preventDefault();
        target.classList.remove("drop-hover");
        var tagId = e.dataTransfer.getData(tagType);
        if (target.matches("[data-tag-drop-form]")) {
            var box = document.getElementById("tag-" + tagId);
            if (box) { box.checked = true; box.focus(); }
            return;
        }
        var url = document.getElementById("results").dataset.addTagUrl + "&id=" + target.dataset.ticketId + "&tagId=" + encodeURIComponent(tagId);
        post(url).then(reloadResults).catch(function (err) { showError(err.message); });
    });

    // Board: cards move between tag columns.
    var board = document.querySelector("[data-board]");
    if (board && window.Sortable) {
        board.querySelectorAll(".board-cards").forEach(function (column) {
            window.Sortable.create(column, {
                group: "board",
                animation: 150,
                filter: "a, button, summary, details",
                preventOnFilter: false,
                ghostClass: "board-card-ghost",
                onAdd: function (evt) {
                    var card = evt.item;
                    var fields = { id: card.dataset.ticketId, fromTagId: evt.from.dataset.tagId, toTagId: evt.to.dataset.tagId };
                    post(board.dataset.moveUrl, fields).then(function () { window.location.reload(); }).catch(function (err) {
                        evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
                        showError(err.message);
                    });
                }
            });
        });
    }

    // List rows: menus open in place, not clipped by the table's scroll box.
    if (window.bootstrap) {
        window.bootstrap.Dropdown.Default.popperConfig = { strategy: "fixed" };
    }

    // List rows: what every row has in common is written once, in <template>s of #results, and filled in here for each row
    // ({id}, {ref}: its ticket; {text}: the button's text): its tools (<template id="row-tools">), the tags' remove
    // buttons (tag-remove), the labels of its menu buttons and their menus (the status and assignee cells' buttons open
    // status-menu and assignee-menu; other buttons name their template in data-menu). Buttons post
    // the page's form to the row's action; the current status is disabled, "Reabrir" shows only for a closed ticket
    // (data-only-if: a class of the row), "Notificar" is disabled once the ticket was edited (data-disabled-if).
    function format(text, values) {
        return text.replace(/\{([a-z-]+)\}/g, function (all, key) { return key in values ? values[key] : all; });
    }
    function fill(template, values) {
        var content = template.content.cloneNode(true);
        content.querySelectorAll("*").forEach(function (el) {
            Array.prototype.forEach.call(el.attributes, function (attribute) {
                if (attribute.value.indexOf("{") >= 0) { attribute.value = format(attribute.value, values); }
            });
        });
        return content;
    }
    function rowValues(row) {
        return { id: row.dataset.ticketId, ref: row.querySelector(".c-ref").textContent.trim() };
    }
    function rowAction(id) {
        var query = document.getElementById("results").dataset.listQuery || "";
        return "/tickets" + (query ? query + "&" : "?") + "handler=Action&id=" + id;
    }
    function menuButton(toggle, menuName, values) {
        var template = document.getElementById(menuName);
        if (!template) { return; }
        var label = toggle.classList.contains("unassigned") ? template.dataset.unassignedLabel : template.dataset.label;
        if (label) { toggle.setAttribute("aria-label", format(label, { id: values.id, ref: values.ref, text: toggle.textContent.trim() })); }
        toggle.setAttribute("data-bs-toggle", "dropdown");
        toggle.setAttribute("aria-expanded", "false");
        var menu = document.createElement("div");
        menu.className = ("dropdown-menu " + (template.dataset.menuClass || "")).trim();
        menu.dataset.menu = menuName;
        toggle.after(menu);
    }
    function enhanceRow(row) {
        var tools = document.getElementById("row-tools");
        var remove = document.getElementById("tag-remove");
        if (row.dataset.enhanced || !tools) { return; }
        row.dataset.enhanced = "true";
        var values = rowValues(row);
        row.querySelector(".row-actions").replaceChildren(fill(tools, values));
        var select = document.getElementById("row-select");
        if (select) {
            var cell = document.createElement("td");
            cell.className = "c-sel";
            cell.appendChild(fill(select, values));
            cell.firstElementChild.className = "form-check-input";
            row.prepend(cell);
        }
        row.querySelectorAll(".row-tags > span").forEach(function (chip) {
            var tag = /(?:^|\s)tag-(\d+)(?:\s|$)/.exec(chip.className)[1];
            chip.appendChild(fill(remove, { id: values.id, ref: values.ref, tag: tag, "tag-name": chip.textContent }));
        });
        [[".c-status > button", "status-menu"], [".c-who > button", "assignee-menu"], [".row-actions button[data-menu]", null]].forEach(function (pair) {
            var toggle = row.querySelector(pair[0]);
            if (toggle) { menuButton(toggle, pair[1] || toggle.dataset.menu, values); }
        });
    }
    function enhanceRows(root) {
        (root.querySelectorAll ? root : document).querySelectorAll("tr[data-ticket-id]").forEach(function (row) {
            if (row.closest("#results")) { enhanceRow(row); }
        });
    }
    if (window.htmx) { window.htmx.onLoad(enhanceRows); } else { enhanceRows(document); }

    // Selection for Relatórios → Dados do contato: a checkbox per row (row-select, in the report form) and one in the header
    // for the page; with the whole page ticked and more pages behind it, a bar offers the report of the whole filter.
    function boxes() { return Array.prototype.slice.call(document.querySelectorAll("#results input[name='ids']")); }
    function selectionChanged() {
        var all = boxes();
        var ticked = all.filter(function (b) { return b.checked; }).length;
        var head = document.querySelector("#results th.c-sel input");
        if (head) {
            head.checked = ticked > 0 && ticked === all.length;
            head.indeterminate = ticked > 0 && ticked < all.length;
        }
        var item = reportSelected();
        if (item) {
            item.querySelector("button").disabled = ticked === 0;
            item.querySelector("span").textContent = ticked === 0 ? "(nenhum)" : "(" + ticked + ")";
        }
        var more = document.querySelector("#results nav a[href*='after=']");
        var bar = document.getElementById("select-all-bar");
        if (head && head.checked && more && !bar) {
            bar = selectAllBar(all.length);
        }
        if (bar) { bar.hidden = !(head && head.checked && more); }
    }
    // The report menu's "Dos selecionados (N)": only with the checkboxes, so only with this script.
    function reportSelected() {
        var header = document.querySelector("#report-form .dropdown-header");
        if (!header) { return null; }
        var item = document.querySelector("#report-form [data-report-selected]");
        if (!item) {
            item = document.createElement("li");
            item.dataset.reportSelected = "";
            var button = document.createElement("button");
            button.className = "dropdown-item";
            button.textContent = "Dos selecionados ";
            var count = document.createElement("span");
            count.className = "text-body-secondary";
            button.appendChild(count);
            item.appendChild(button);
            header.parentElement.after(item);
        }
        return item;
    }
    // "Os 50 atendimentos desta página estão selecionados. Relatório de todos os N do filtro": N asked when first shown.
    function selectAllBar(count) {
        var results = document.getElementById("results");
        var query = (results.dataset.listQuery || "").replace(/([?&])after=[^&]*&?/, "$1").replace(/[?&]$/, "");
        var bar = document.createElement("div");
        bar.id = "select-all-bar";
        bar.className = "alert alert-info py-2 mt-2 mb-0";
        bar.setAttribute("role", "status");
        bar.textContent = "Os " + count + " atendimentos desta página estão selecionados. ";
        var link = document.createElement("a");
        link.href = "/reports/contact-data" + (query ? query + "&" : "?") + "all=1";
        link.appendChild(document.createTextNode("Relatório de todos os "));
        var n = document.createElement("span");
        n.textContent = "…";
        link.appendChild(n);
        link.appendChild(document.createTextNode(" do filtro"));
        bar.appendChild(link);
        results.querySelector(".card").after(bar);
        fetch("/tickets" + (query ? query + "&" : "?") + "handler=Count", { headers: { "Accept": "text/plain" } })
            .then(function (r) { return r.ok ? r.text() : "…"; })
            .then(function (text) { n.textContent = text; });
        return bar;
    }
    function addHeadBox(root) {
        var head = (root.querySelector ? root : document).querySelector("#results thead tr");
        if (!head || head.querySelector(".c-sel") || !document.getElementById("row-select")) { selectionChanged(); return; }
        var th = document.createElement("th");
        th.className = "c-sel";
        th.scope = "col";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.className = "form-check-input";
        box.setAttribute("aria-label", "Selecionar todos desta página");
        th.appendChild(box);
        head.prepend(th);
        selectionChanged();
    }
    document.addEventListener("change", function (e) {
        if (!e.target.closest || !e.target.closest("#results")) { return; }
        if (e.target.closest("th.c-sel")) {
            boxes().forEach(function (b) { b.checked = e.target.checked; });
        }
        if (e.target.closest(".c-sel")) { selectionChanged(); }
    });
    if (window.htmx) { window.htmx.onLoad(addHeadBox); } else { addHeadBox(document); }

    // Text cut short (a title in two lines, a name with an ellipsis) shows in full under the pointer.
    document.addEventListener("mouseover", function (e) {
        var text = e.target.closest && e.target.closest("#results .row-link, #results .c-req > span, #results .assignee-toggle > span");
        if (text && !text.title && (text.scrollWidth > text.clientWidth || text.scrollHeight > text.clientHeight)) {
            text.title = text.textContent.trim();
        }
    });

    function fillRowMenu(menu, row) {
        var template = document.getElementById(menu.dataset.menu);
        if (!template || !template.content.childElementCount) { return; }
        var values = rowValues(row);
        var content = fill(template, values);
        content.querySelectorAll("*").forEach(function (el) {
            if (el.dataset.onlyIf && !row.classList.contains(el.dataset.onlyIf)) { el.remove(); return; }
            if (el.dataset.disabledIf && row.classList.contains(el.dataset.disabledIf)) {
                el.disabled = true;
                el.title = el.dataset.disabledTitle || "";
            }
            if (el.matches("button[form]")) {
                el.setAttribute("formaction", rowAction(values.id));
                if (el.name === "status" && row.querySelector(".status-" + el.value.toLowerCase())) { el.disabled = true; }
            }
        });
        menu.replaceChildren(content);
    }
    document.addEventListener("show.bs.dropdown", function (e) {
        var menu = e.target.nextElementSibling;
        var row = e.target.closest && e.target.closest("#results tr[data-ticket-id]");
        if (row && menu && menu.matches(".dropdown-menu[data-menu]")) { fillRowMenu(menu, row); }
    });

    // The pipeline switcher's entries are loaded when it opens: a user may see a hundred pipelines.
    document.addEventListener("show.bs.dropdown", function (e) {
        var menu = e.target.parentElement && e.target.parentElement.querySelector(".pipeline-menu[data-url]");
        if (!menu || menu.dataset.loaded) { return; }
        menu.dataset.loaded = "true";
        fetch(menu.dataset.url, { credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) { throw new Error(); }
                return response.text();
            })
            .then(function (html) { menu.insertAdjacentHTML("beforeend", html); })
            .catch(function () {
                delete menu.dataset.loaded;
                var item = document.createElement("li");
                item.innerHTML = "<span class=\"dropdown-item-text text-danger small\">Não foi possível carregar os fluxos. Tente de novo.</span>";
                menu.appendChild(item);
            })
            .then(function () {
                var dropdown = window.bootstrap && window.bootstrap.Dropdown.getInstance(e.target);
                if (dropdown) { dropdown.update(); }
            });
    });

    // List rows: the assignee menu is loaded when it opens, so the list does not carry every user in every row.
    // Without JavaScript the reference is the way to the ticket's form.
    document.addEventListener("show.bs.dropdown", function (e) {
        var toggle = e.target.closest && e.target.closest(".assignee-toggle");
        if (!toggle || toggle.dataset.loaded) { return; }
        toggle.dataset.loaded = "true";
        var results = document.getElementById("results");
        var query = results ? results.dataset.listQuery || "" : "";
        var url = "/tickets" + (query ? query + "&" : "?") + "handler=Assignees&id=" + toggle.closest("tr[data-ticket-id]").dataset.ticketId;
        var menu = toggle.parentElement.querySelector(".dropdown-menu");
        fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
            .then(function (response) {
                if (!response.ok) { throw new Error(); }
                return response.text();
            })
            .then(function (html) { menu.innerHTML = html; })
            .catch(function () {
                delete toggle.dataset.loaded;
                var link = document.createElement("a");
                link.className = "dropdown-item";
                link.href = toggle.closest("tr").querySelector(".c-ref a").href + "#Input_AssigneeId";
                link.textContent = "Não foi possível carregar: escolher no atendimento";
                menu.replaceChildren(link);
            })
            .then(function () {
                var dropdown = window.bootstrap && window.bootstrap.Dropdown.getInstance(toggle);
                if (dropdown) { dropdown.update(); }
            });
    });

    // The row's status and assignee toggles are links (to the ticket's form, without JavaScript) acting as buttons:
    // Space opens them too, as it would a button.
    document.addEventListener("keydown", function (e) {
        var toggle = e.key === " " && e.target.closest && e.target.closest("a[role='button'][data-bs-toggle='dropdown']");
        if (toggle) {
            e.preventDefault();
            toggle.click();
        }
    });

    // "Colunas" (a details element): closes on a click elsewhere and on Escape.
    document.addEventListener("click", function (e) {
        document.querySelectorAll("details.column-chooser[open]").forEach(function (chooser) {
            if (!chooser.contains(e.target)) { chooser.open = false; }
        });
    });
    document.addEventListener("keydown", function (e) {
        var chooser = e.key === "Escape" && e.target.closest && e.target.closest("details.column-chooser[open]");
        if (chooser) {
            chooser.open = false;
            chooser.querySelector("summary").focus();
        }
    });

    // "Inserir modelo" on the ticket page: the chosen template, filled in for this ticket by the server, goes into the
    // interaction editor where the cursor is (rich-text.js). Without JavaScript the form reloads the page with it filled in.
    // Both listen on the document: the Timeline tab may arrive after the page (loaded when shown).
    document.addEventListener("submit", function (e) {
        var templateForm = e.target;
        if (templateForm.id !== "insert-template-form" || !window.AtendeRichText) { return; }
        var select = document.getElementById("template-id");
        e.preventDefault();
        if (!select.value) { select.focus(); return; }
        fetch(templateForm.dataset.renderUrl + encodeURIComponent(select.value), { credentials: "same-origin", headers: { "Accept": "application/json" } })
            .then(function (response) {
                if (!response.ok) { throw new Error("Não foi possível inserir o modelo: ele pode ter sido desativado. Recarregue a página e tente de novo."); }
                return response.json();
            })
            .then(function (rendered) {
                window.AtendeRichText.insertHtml(document.getElementById("body"), rendered.html);
                select.value = "";
            })
            .catch(function (err) { showError(err.message); });
    });

    // Ctrl+Enter (Cmd+Enter on a Mac) in Nova interação saves it with its Salvar button (never "Salvar e notificar").
    document.addEventListener("keydown", function (e) {
        var interactionForm = e.target.closest && e.target.closest("#nova-interacao");
        if (!interactionForm || e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) { return; }
        var save = interactionForm.querySelector("[data-interaction-save]");
        if (!save) { return; }
        e.preventDefault();
        if (interactionForm.requestSubmit) { interactionForm.requestSubmit(save); } else { save.click(); }
    });
})();
