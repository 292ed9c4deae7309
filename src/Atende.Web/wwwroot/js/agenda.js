// Agenda de Conversas: FullCalendar fed by GET /api/v1/agenda/events (read with the session cookie).
// The calendar runs in the company's named time zone without a time-zone plugin, so every date it hands out is the
// company's wall-clock time held in the UTC fields of a Date; the server reads offset-less times the same way.
(function () {
    "use strict";
    var el = document.getElementById("calendar");
    if (!el || !window.FullCalendar) { return; }
    var data = el.dataset;
    var names = {
        channels: JSON.parse(data.channels || "{}"),
        types: JSON.parse(data.types || "{}"),
        sellers: JSON.parse(data.sellers || "{}")
    };
    var filters = document.getElementById("agenda-filters");
    var truncated = document.getElementById("agenda-truncated");
    var status = document.getElementById("agenda-status");
    var menu = document.getElementById("agenda-menu");
    var menuNew = document.getElementById("agenda-menu-new");
    var newButton = document.getElementById("new-conversation");
    var tip = document.getElementById("agenda-tip");
    var loadedAt = Date.now();
    var serverNow = Date.parse(data.now + "Z");
    var selection = null;
    var menuSlot = null;
    document.querySelectorAll(".js-hide").forEach(function (b) { b.classList.add("d-none"); });

    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function wall(date) {
        return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" + pad(date.getUTCDate()) +
            "T" + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes());
    }
    function day(date) { return wall(date).slice(0, 10); }
    function display(date, allDay) {
        var text = pad(date.getUTCDate()) + "/" + pad(date.getUTCMonth() + 1) + "/" + date.getUTCFullYear();
        return allDay ? text : text + " " + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes());
    }

    function showStatus(message, kind) {
        status.textContent = message;
        status.classList.remove("d-none", "alert-danger", "alert-success");
        status.classList.add(kind === "ok" ? "alert-success" : "alert-danger");
        status.setAttribute("role", kind === "ok" ? "status" : "alert");
    }

    function filterParams() {
        var params = new URLSearchParams();
        if (!filters) { return params; }
        var seller = filters.elements.seller.value;
        if (seller && seller !== "all") { params.set("sellerId", seller); }
        ["channelId", "opportunityTypeId"].forEach(function (name) {
            var value = filters.elements[name].value;
            if (value) { params.set(name, value); }
        });
        return params;
    }

    // The agenda's own URL (filters, view, date): links come back to the same place.
    function agendaUrl() {
        var params = new URLSearchParams();
        if (filters) {
            params.set("seller", filters.elements.seller.value);
            ["channelId", "opportunityTypeId"].forEach(function (name) {
                if (filters.elements[name].value) { params.set(name, filters.elements[name].value); }
            });
        }
        params.set("view", calendar.view.type);
        params.set("date", day(calendar.getDate()));
        return "/agenda?" + params.toString();
    }

    // FullCalendar marks its chevron glyphs role="img" without a name; the buttons around them carry the title.
    function hideIconGlyphs() {
        el.querySelectorAll(".fc-icon[role='img']").forEach(function (icon) {
            icon.removeAttribute("role");
            icon.setAttribute("aria-hidden", "true");
        });
    }

    // The list views' scrolling area takes the keyboard focus, so the arrow keys scroll it without a mouse. (Not the
    // grids' scrollers: inside a role="grid" table a focusable div is a child the grid may not have.)
    function focusableScrollers() {
        el.querySelectorAll(".fc-list .fc-scroller").forEach(function (scroller) {
            if (!scroller.hasAttribute("tabindex") && !scroller.closest(".fc-scrollgrid")) {
                scroller.setAttribute("tabindex", "0");
                scroller.setAttribute("aria-label", "Conversas do período (role com as setas)");
            }
        });
    }

    function syncUrl() {
        var url = agendaUrl();
        history.replaceState(null, "", url);
        if (newButton) { newButton.href = "/conversations/new?returnUrl=" + encodeURIComponent(url); }
        if (filters) {
            filters.elements.view.value = calendar.view.type;
            filters.elements.date.value = day(calendar.getDate());
        }
    }

    function openNew(date, allDay) {
        window.location.href = "/conversations/new?at=" + encodeURIComponent(allDay ? day(date) : wall(date)) +
            "&returnUrl=" + encodeURIComponent(agendaUrl());
    }

    function showMenu(x, y, date, allDay) {
        menuSlot = { date: date, allDay: allDay };
        menuNew.textContent = "";
        var icon = document.createElement("i");
        icon.className = "bi bi-plus-lg";
        icon.setAttribute("aria-hidden", "true");
        menuNew.appendChild(icon);
        menuNew.appendChild(document.createTextNode(" Nova conversa em " + display(date, allDay)));
        menu.classList.add("show");
        var width = menu.offsetWidth, height = menu.offsetHeight;
        menu.style.left = Math.max(8, Math.min(x, window.innerWidth - width - 8)) + "px";
        menu.style.top = Math.max(8, Math.min(y, window.innerHeight - height - 8)) + "px";
        menuNew.focus();
    }

    function hideMenu() {
        menu.classList.remove("show");
        menuSlot = null;
    }

    // The slot under the pointer: a day cell (month view) or the time-grid column and lane it falls in.
    function slotAt(e) {
        var date = null, allDay = false;
        var dayCell = e.target.closest(".fc-daygrid-day[data-date]");
        if (dayCell) {
            date = new Date(dayCell.dataset.date + "T00:00:00Z");
            allDay = true;
        } else {
            var column = Array.prototype.find.call(el.querySelectorAll(".fc-timegrid-col[data-date]"), function (c) {
                var r = c.getBoundingClientRect();
                return e.clientX >= r.left && e.clientX < r.right;
            });
            var lane = Array.prototype.find.call(el.querySelectorAll(".fc-timegrid-slot-lane[data-time]"), function (l) {
                var r = l.getBoundingClientRect();
                return e.clientY >= r.top && e.clientY < r.bottom;
            });
            if (!column || !lane) { return null; }
            date = new Date(column.dataset.date + "T" + lane.dataset.time + "Z");
        }
        // Right-clicking the selection opens it at the selection's start.
        if (selection && date >= selection.start && date < selection.end) {
            return { date: selection.start, allDay: selection.allDay };
        }
        return { date: date, allDay: allDay };
    }

    // An event shows its partner and its subject on lines of their own, cut with an ellipsis when too long; the whole
    // text is in the event's title (hover) and in the tip shown while it has keyboard focus.
    function line(className, text) {
        var div = document.createElement("div");
        div.className = "conv-event-line " + className;
        div.textContent = text;
        return div;
    }
    function eventContent(arg) {
        var p = arg.event.extendedProps;
        var box = document.createElement("div");
        box.className = "conv-event";
        box.appendChild(line("conv-event-partner", p.partnerName || arg.event.title));
        var second = line("conv-event-subject", p.subject || "");
        // The time goes before the subject, so a narrow week column still shows the partner's name first; the list
        // view shows the time in a column of its own.
        if (arg.timeText && arg.view.type.indexOf("list") !== 0) {
            var time = document.createElement("span");
            time.className = "conv-event-time";
            time.textContent = arg.timeText + " ";
            second.insertBefore(time, second.firstChild);
        }
        box.appendChild(second);
        return { domNodes: [box] };
    }

    function showTip(target) {
        tip.textContent = target.title;
        tip.hidden = false;
        var r = target.getBoundingClientRect();
        var width = tip.offsetWidth, height = tip.offsetHeight;
        var top = r.bottom + 6 + height > window.innerHeight ? r.top - height - 6 : r.bottom + 6;
        tip.style.left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8)) + "px";
        tip.style.top = Math.max(8, top) + "px";
    }
    function hideTip() { tip.hidden = true; }

    function fetchEvents(info, success, failure) {
        var params = filterParams();
        params.set("start", info.startStr.slice(0, 19));
        params.set("end", info.endStr.slice(0, 19));
        params.set("timeZone", data.timeZone);
        fetch(data.eventsUrl + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) {
                if (!response.ok) { throw new Error("HTTP " + response.status); }
                truncated.classList.toggle("d-none", response.headers.get("X-Agenda-Truncated") !== "true");
                return response.json();
            })
            .then(function (events) { success(events); })
            .catch(function (error) {
                showStatus("Não foi possível carregar a agenda. Recarregue a página.", "error");
                failure(error);
            });
    }

    function reschedule(info) {
        var event = info.event;
        var body = new URLSearchParams({ id: event.id, version: event.extendedProps.version, at: wall(event.start) });
        Atende.post(data.rescheduleUrl, body)
            .then(function (response) {
                return response.json().catch(function () { return {}; }).then(function (json) { return { ok: response.ok, json: json }; });
            })
            .then(function (result) {
                if (!result.ok) {
                    info.revert();
                    showStatus(result.json.message || "Não foi possível remarcar a conversa.", "error");
                    return;
                }
                event.setExtendedProp("version", result.json.version);
                showStatus("Conversa remarcada para " + result.json.at + ".", "ok");
            })
            .catch(function () {
                info.revert();
                showStatus("Não foi possível remarcar a conversa: sem conexão com o servidor.", "error");
            });
    }

    var calendar = new FullCalendar.Calendar(el, {
        locale: "pt-br",
        timeZone: data.timeZone,
        firstDay: 0,
        initialView: data.initialView || "timeGridWeek",
        initialDate: data.initialDate || undefined,
        now: function () { return new Date(serverNow + (Date.now() - loadedAt)).toISOString().slice(0, 19); },
        headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
        slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
        eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
        slotDuration: "00:30:00",
        scrollTime: "08:00:00",
        allDaySlot: false,
        nowIndicator: true,
        contentHeight: 680,
        views: { dayGridMonth: { displayEventTime: false } },
        expandRows: true,
        dayMaxEvents: true,
        eventDisplay: "block",
        defaultTimedEventDuration: "00:30:00",
        selectable: true,
        selectMirror: true,
        editable: true,
        eventDurationEditable: false,
        eventInteractive: true,
        events: fetchEvents,
        eventContent: eventContent,
        datesSet: function () { syncUrl(); hideIconGlyphs(); focusableScrollers(); },
        eventsSet: function () { focusableScrollers(); },
        select: function (info) {
            selection = { start: info.start, end: info.end, allDay: info.allDay };
            var e = info.jsEvent;
            var box = el.getBoundingClientRect();
            showMenu(e ? e.clientX : box.left + box.width / 2, e ? e.clientY : box.top + 80, info.start, info.allDay);
        },
        unselect: function () { selection = null; },
        eventDrop: reschedule,
        eventClick: function (info) {
            info.jsEvent.preventDefault();
            window.location.href = "/conversations/" + info.event.id + "?returnUrl=" + encodeURIComponent(agendaUrl());
        },
        eventDidMount: function (arg) {
            var p = arg.event.extendedProps;
            var lines = [
                display(arg.event.start, false) + " · " + arg.event.title,
                "Canal: " + (names.channels[p.channelId] || "—") + " · Tipo: " + (names.types[p.opportunityTypeId] || "—"),
                "Vendedor: " + (names.sellers[p.sellerId] || "—"),
                p.concluded ? "Concluída (somente leitura)" : "Pendente: arraste para remarcar"
            ];
            arg.el.title = lines.join("\n");
            arg.el.setAttribute("aria-label", lines.join(". "));
        }
    });
    calendar.render();

    el.addEventListener("contextmenu", function (e) {
        var slot = slotAt(e);
        if (!slot) { return; }
        e.preventDefault();
        showMenu(e.clientX, e.clientY, slot.date, slot.allDay);
    });
    menuNew.addEventListener("click", function (e) {
        e.preventDefault();
        if (menuSlot) { openNew(menuSlot.date, menuSlot.allDay); }
    });
    document.addEventListener("mousedown", function (e) {
        if (menu.classList.contains("show") && !menu.contains(e.target)) { hideMenu(); }
    });
    document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && menu.classList.contains("show")) {
            hideMenu();
            calendar.unselect();
        }
    });
    window.addEventListener("scroll", hideMenu, { passive: true });

    el.addEventListener("focusin", function (e) {
        var event = e.target.closest(".fc-event");
        if (event && event.title) { showTip(event); } else { hideTip(); }
    });
    el.addEventListener("focusout", hideTip);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideTip(); } });
    window.addEventListener("scroll", hideTip, { passive: true });

    if (filters) {
        filters.addEventListener("change", function () {
            syncUrl();
            calendar.refetchEvents();
        });
        filters.addEventListener("submit", function (e) {
            e.preventDefault();
            calendar.refetchEvents();
        });
    }

    // The side list's "+" links come back to the agenda as it is now.
    document.addEventListener("click", function (e) {
        var link = e.target.closest("a.add-conversation");
        if (!link) { return; }
        var url = new URL(link.href, window.location.origin);
        url.searchParams.set("returnUrl", agendaUrl());
        link.href = url.pathname + url.search;
    });
})();
