// Atende live screens: one connection to /hubs/live per page (SignalR), kept up for as long as the page is open.
// Every page works without it; with it the bell counts live, the ticket list and board show others' changes, and the
// ticket chat (chat.js) talks. Atende.live.ready(fn) runs fn(connection) now if connected and after every reconnect, so a
// screen watches again and catches up on what it missed (the server also says "resync" after an outage between nodes).
window.Atende = window.Atende || {};
(function (Atende) {
    "use strict";
    if (!window.signalR) { return; }

    var connection = new signalR.HubConnectionBuilder()
        .withUrl("/hubs/live")
        // Never give up: 0, 2, 5, 10 s, then every 30 s.
        .withAutomaticReconnect({ nextRetryDelayInMilliseconds: function (ctx) { return [0, 2000, 5000, 10000][ctx.previousRetryCount] || 30000; } })
        .configureLogging(signalR.LogLevel.None)
        .build();
    var readyHandlers = [];
    var stateHandlers = [];

    function setState(state) { stateHandlers.forEach(function (fn) { fn(state); }); }
    function connected() {
        setState("connected");
        readyHandlers.forEach(function (fn) { fn(connection); });
    }

    Atende.live = {
        connection: connection,
        ready: function (fn) {
            readyHandlers.push(fn);
            if (connection.state === signalR.HubConnectionState.Connected) { fn(connection); }
        },
        onState: function (fn) { stateHandlers.push(fn); },
        // The message of a refused call, as the server wrote it ("Atendimento não encontrado.").
        message: function (error) {
            var text = (error && error.message) || "";
            var at = text.indexOf("HubException: ");
            return at >= 0 ? text.substring(at + 14) : "Não foi possível falar com o servidor. Tente de novo.";
        }
    };

    connection.onreconnecting(function () { setState("reconnecting"); });
    connection.onreconnected(connected);
    connection.onclose(function () { setState("offline"); setTimeout(start, 5000); });
    connection.on("resync", connected);

    function start() {
        connection.start().then(connected).catch(function () { setState("offline"); setTimeout(start, 5000); });
    }

    // The bell: a new notice for this user adds one to the unread count.
    connection.on("notice", function () {
        var badge = document.querySelector("[data-bell-count]");
        if (!badge) { return; }
        var count = (parseInt(badge.dataset.bellCount, 10) || 0) + 1;
        badge.dataset.bellCount = String(count);
        badge.textContent = String(count);
        badge.setAttribute("aria-label", count + (count === 1 ? " não lida" : " não lidas"));
        badge.hidden = false;
    });

    // The ticket list and board: a ticket changed by someone else is refreshed in place when the user is not pointing at or
    // working in the list (nothing moves under the cursor); otherwise a bar offers to update. Changed rows and cards glow.
    function watchTickets() {
        var results = document.querySelector("[data-live-tickets]");
        if (!results) { return; }
        var me = document.body.dataset.me;
        var changed = {};
        var bar = document.getElementById("live-tickets-bar");
        var busy = false;
        results.addEventListener("pointerenter", function () { busy = true; });
        results.addEventListener("pointerleave", function () { busy = false; refreshSoon(); });
        function userIsWorking() {
            // Ticked rows (a report being picked) are work too: a refresh would lose them.
            return busy || results.contains(document.activeElement) || document.querySelector(".dropdown-menu.show, .modal.show, [data-dragging], #results input[name='ids']:checked");
        }
        function glow() {
            Object.keys(changed).forEach(function (id) {
                document.querySelectorAll("[data-ticket-id='" + id + "']").forEach(function (el) {
                    el.classList.remove("live-changed");
                    void el.offsetWidth; // restart the animation
                    el.classList.add("live-changed");
                });
            });
        }
        var timer = null;
        function refreshSoon() {
            if (timer || Object.keys(changed).length === 0) { return; }
            timer = setTimeout(refresh, 1000); // several changes in a second: one refresh
        }
        function refresh() {
            timer = null;
            if (Object.keys(changed).length === 0) { return; }
            if (results.hasAttribute("data-board")) {
                // The board's cards are dragged: it is never rebuilt under the user; changed cards glow, the bar reloads.
                glow();
                if (bar) { bar.hidden = false; }
                return;
            }
            if (userIsWorking() || !window.htmx) {
                if (bar) { bar.hidden = false; }
                return;
            }
            var target = document.querySelector("[data-live-tickets]");
            window.htmx.ajax("GET", location.pathname + location.search, { target: target, select: "[data-live-tickets]", swap: "outerHTML" }).then(function () {
                results = document.querySelector("[data-live-tickets]");
                if (results) {
                    results.addEventListener("pointerenter", function () { busy = true; });
                    results.addEventListener("pointerleave", function () { busy = false; refreshSoon(); });
                }
                glow();
                changed = {};
                actors = [];
                if (bar) { bar.hidden = true; }
            });
        }
        if (bar) {
            bar.querySelector("[data-live-refresh]").addEventListener("click", function () {
                if (results.hasAttribute("data-board")) { location.reload(); return; }
                busy = false;
                refresh();
            });
        }
        var actors = [];
        connection.on("ticket", function (note) {
            if (String(note.actorId) === me) { return; }
            // A list or board shows one pipeline: another pipeline's ticket concerns it only when its row or card is on it (moved away).
            var pipeline = results.getAttribute("data-pipeline-id") || new URLSearchParams(results.getAttribute("data-list-query") || "").get("pipelineId");
            if (pipeline && String(note.pipelineId) !== pipeline && !document.querySelector("[data-ticket-id='" + note.ticketId + "']")) { return; }
            changed[note.ticketId] = true;
            var actor = note.actorName || "Alguém";
            if (actors.indexOf(actor) < 0) { actors.push(actor); }
            if (bar) {
                var count = Object.keys(changed).length;
                bar.querySelector("[data-live-text]").textContent = actors[0] + (actors.length > 1 ? " e outros alteraram " : " alterou ")
                    + (count === 1 ? "um atendimento desta lista." : count + " atendimentos desta lista.");
            }
            refreshSoon();
        });
        Atende.live.ready(function (c) { c.invoke("WatchTickets").catch(function () { }); });
    }

    document.addEventListener("DOMContentLoaded", function () {
        watchTickets();
        start();
    });
})(window.Atende);
