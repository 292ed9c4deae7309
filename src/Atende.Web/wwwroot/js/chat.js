// Atende ticket chat (the ticket's Chat tab and the portal request page) and the ticket page's "alterado por" warning,
// over the live hub (live.js). The page renders the latest messages and a plain form; here the form sends through the hub,
// new messages appear as they are written, and a screen that was away asks for everything after the last number it has,
// so nothing is lost or shown twice.
(function (Atende) {
    "use strict";
    if (!Atende.live) { return; }
    var live = Atende.live;
    var NO_MESSAGES = 9007199254740991; // "watch, but send me no old messages" (the chat tab is not open yet)
    var watched = {}; // ticketId → { lastSeq, panel }

    function formatter(zone) {
        try {
            return new Intl.DateTimeFormat("pt-BR", { timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
        } catch (e) {
            return new Intl.DateTimeFormat("pt-BR", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" });
        }
    }
    function when(format, iso) { return format.format(new Date(iso)).replace(",", ""); }

    function Panel(root) {
        this.root = root;
        this.ticketId = root.dataset.ticketId;
        this.me = root.dataset.me;
        this.customer = root.dataset.customer === "true";
        this.lastSeq = parseInt(root.dataset.lastSeq, 10) || 0;
        this.log = root.querySelector(".chat-log");
        this.empty = root.querySelector(".chat-empty");
        this.typing = root.querySelector(".chat-typing");
        this.form = root.querySelector(".chat-form");
        this.status = root.querySelector("[data-chat-status]");
        this.error = root.querySelector(".chat-error");
        this.format = formatter(root.dataset.zone);
        this.receipts = {};
        var self = this;
        JSON.parse(root.dataset.receipts || "[]").forEach(function (r) { self.receipts[r.UserId || r.userId] = { delivered: r.DeliveredSeq || r.deliveredSeq || 0, read: r.ReadSeq || r.readSeq || 0 }; });
        this.scrollDown();
        if (this.form) { this.bindForm(); }
    }

    Panel.prototype.visible = function () {
        return document.visibilityState === "visible" && this.root.offsetParent !== null;
    };

    Panel.prototype.scrollDown = function () { this.log.scrollTop = this.log.scrollHeight; };

    Panel.prototype.add = function (m) {
        if (m.seq <= this.lastSeq) { return false; }
        var mine = String(m.authorId) === this.me;
        var item = document.createElement("div");
        item.className = "chat-msg " + (mine ? "mine" : "theirs") + " " + (m.fromCustomer ? "customer" : "staff");
        item.dataset.seq = m.seq;
        var meta = document.createElement("div");
        meta.className = "chat-meta";
        var name = document.createElement("strong");
        name.textContent = mine ? "Você" : m.authorName;
        meta.appendChild(name);
        if (m.fromCustomer && !this.customer) { meta.appendChild(badge("Cliente", "badge text-bg-info")); }
        if (!m.fromCustomer && this.customer) { meta.appendChild(badge("Equipe", "badge text-bg-primary-subtle text-primary-emphasis")); }
        var time = document.createElement("time");
        time.dateTime = m.createdAt;
        time.textContent = when(this.format, m.createdAt);
        meta.appendChild(document.createTextNode(" "));
        meta.appendChild(time);
        var body = document.createElement("div");
        body.className = "chat-body";
        body.textContent = m.body;
        item.appendChild(meta);
        item.appendChild(body);
        if (mine) {
            var mark = document.createElement("div");
            mark.className = "chat-mark";
            item.appendChild(mark);
        }
        var atBottom = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
        this.log.appendChild(item);
        this.empty.hidden = true;
        this.lastSeq = m.seq;
        this.marks();
        if (atBottom || mine) { this.scrollDown(); }
        return true;
    };

    function badge(text, cls) {
        var b = document.createElement("span");
        b.className = cls;
        b.textContent = text;
        var wrap = document.createDocumentFragment();
        wrap.appendChild(document.createTextNode(" "));
        wrap.appendChild(b);
        return wrap;
    }

    // Enviada / Entregue / Lida on the user's own messages, from the others' marks.
    Panel.prototype.marks = function () {
        var delivered = 0, read = 0, self = this;
        Object.keys(this.receipts).forEach(function (id) {
            delivered = Math.max(delivered, self.receipts[id].delivered);
            read = Math.max(read, self.receipts[id].read);
        });
        this.log.querySelectorAll(".chat-msg.mine").forEach(function (item) {
            var seq = parseInt(item.dataset.seq, 10);
            var state = read >= seq ? ["bi-check-all text-primary", "Lida"] : delivered >= seq ? ["bi-check-all", "Entregue"] : ["bi-check", "Enviada"];
            var mark = item.querySelector(".chat-mark");
            if (mark && mark.dataset.state !== state[1]) {
                mark.dataset.state = state[1];
                mark.innerHTML = "<i class=\"bi " + state[0] + "\" aria-hidden=\"true\"></i> <span></span>";
                mark.querySelector("span").textContent = state[1];
            }
        });
    };

    Panel.prototype.report = function () {
        if (this.lastSeq > 0 && live.connection.state === "Connected") {
            live.connection.invoke("Receipt", Number(this.ticketId), this.lastSeq, this.visible()).catch(function () { });
        }
    };

    Panel.prototype.bindForm = function () {
        var self = this;
        var input = this.form.querySelector("textarea");
        var lastTyping = 0;
        input.addEventListener("keydown", function (e) {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                e.preventDefault();
                if (self.form.requestSubmit) { self.form.requestSubmit(); } else { self.form.dispatchEvent(new Event("submit", { cancelable: true })); }
            }
        });
        input.addEventListener("input", function () {
            self.error.textContent = "";
            input.classList.remove("is-invalid");
            var now = Date.now();
            if (input.value.trim() && now - lastTyping > 2000 && live.connection.state === "Connected") {
                lastTyping = now;
                live.connection.invoke("Typing", Number(self.ticketId)).catch(function () { });
            }
        });
        this.form.addEventListener("submit", function (e) {
            if (live.connection.state !== "Connected") { return; } // the page posts it
            e.preventDefault();
            var text = input.value;
            if (!text.trim()) {
                self.fail("Escreva a mensagem.");
                return;
            }
            var button = self.form.querySelector("button[type=submit]");
            button.disabled = true;
            live.connection.invoke("Send", Number(self.ticketId), text).then(function (m) {
                if (input.value === text) { input.value = ""; }
                self.add(m);
                input.focus();
            }).catch(function (error) {
                self.fail(live.message(error));
            }).finally(function () { button.disabled = false; });
        });
    };

    Panel.prototype.fail = function (text) {
        this.error.textContent = text;
        this.form.querySelector("textarea").classList.add("is-invalid");
    };

    Panel.prototype.setStatus = function (state) {
        if (!this.status) { return; }
        this.status.textContent = state === "connected" ? "" : state === "reconnecting" ? "Reconectando… as mensagens chegam assim que voltar." : "Sem conexão ao vivo: envie pelo botão e recarregue para ver respostas.";
    };

    // The ticket page and the portal request: watch the ticket, catching up from the last number shown.
    function watch(ticketId, panel) {
        var entry = watched[ticketId] || (watched[ticketId] = { panel: null });
        if (panel) { entry.panel = panel; }
        if (live.connection.state === "Connected") { catchUp(ticketId); }
    }

    function catchUp(ticketId) {
        var entry = watched[ticketId];
        var after = entry.panel ? entry.panel.lastSeq : NO_MESSAGES;
        return live.connection.invoke("Watch", Number(ticketId), after).then(function (result) {
            if (!entry.panel) { return; }
            result.messages.forEach(function (m) { entry.panel.add(m); });
            result.receipts.forEach(function (r) { entry.panel.receipts[r.userId] = { delivered: r.deliveredSeq, read: r.readSeq }; });
            entry.panel.marks();
            entry.panel.report();
        }).catch(function (error) {
            if (entry.panel && entry.panel.form) { entry.panel.fail(live.message(error)); }
        });
    }

    live.ready(function () {
        Object.keys(watched).forEach(catchUp);
    });
    live.onState(function (state) {
        Object.keys(watched).forEach(function (id) { if (watched[id].panel) { watched[id].panel.setStatus(state); } });
    });

    live.connection.on("chat", function (m) {
        var entry = watched[m.ticketId];
        if (!entry) { return; }
        if (!entry.panel) {
            unread(1);
            return;
        }
        var panel = entry.panel;
        if (m.seq > panel.lastSeq + 1) {
            catchUp(m.ticketId); // something was missed: ask for everything after the last one shown
            return;
        }
        if (panel.add(m) && String(m.authorId) !== panel.me) {
            panel.typing.textContent = "";
            panel.report();
        }
    });

    live.connection.on("typing", function (t) {
        var entry = watched[t.ticketId];
        if (!entry || !entry.panel) { return; }
        var line = entry.panel.typing;
        line.textContent = t.name + " está digitando…";
        clearTimeout(line._timer);
        line._timer = setTimeout(function () { line.textContent = ""; }, 4000);
    });

    live.connection.on("read", function (r) {
        var entry = watched[r.ticketId];
        if (!entry || !entry.panel) { return; }
        var mark = entry.panel.receipts[r.userId] || (entry.panel.receipts[r.userId] = { delivered: 0, read: 0 });
        mark.delivered = Math.max(mark.delivered, r.seq);
        if (r.read) { mark.read = Math.max(mark.read, r.seq); }
        entry.panel.marks();
    });

    // "Alterado por Bruno agora": another user's change to the open ticket; saving the form now would be refused as stale.
    live.connection.on("ticket", function (note) {
        var banner = document.getElementById("ticket-changed");
        if (!banner || banner.dataset.liveTicket !== String(note.ticketId) || document.body.dataset.me === String(note.actorId)) { return; }
        var what = note.type === "ticket.interaction_added" ? "Nova interação de " : note.type === "ticket.status_changed" ? "Situação alterada por " : "Alterado por ";
        banner.querySelector("[data-changed-text]").textContent = what + (note.actorName || "outra pessoa") + " agora. Recarregue antes de salvar para não perder nada.";
        banner.hidden = false;
    });

    function unread(add) {
        var badge = document.querySelector("[data-chat-unread]");
        if (!badge) { return; }
        var count = (parseInt(badge.textContent, 10) || 0) + add;
        badge.textContent = String(count);
        badge.setAttribute("aria-label", count + (count === 1 ? " mensagem nova" : " mensagens novas"));
        badge.hidden = count === 0;
    }

    function init(scope) {
        scope.querySelectorAll("[data-chat]:not([data-chat-ready])").forEach(function (root) {
            root.dataset.chatReady = "1";
            var panel = new Panel(root);
            unread(-(parseInt((document.querySelector("[data-chat-unread]") || {}).textContent, 10) || 0));
            watch(root.dataset.ticketId, panel);
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        var banner = document.getElementById("ticket-changed");
        if (banner) { watch(banner.dataset.liveTicket, null); }
        init(document);
    });
    // The Chat tab loads when first shown (htmx).
    document.addEventListener("htmx:afterSettle", function (e) { init(e.target); });
    // Marks move to "Lida" when the chat comes into view.
    document.addEventListener("visibilitychange", function () {
        Object.keys(watched).forEach(function (id) { if (watched[id].panel) { watched[id].panel.report(); } });
    });
    document.addEventListener("shown.bs.tab", function () {
        Object.keys(watched).forEach(function (id) { if (watched[id].panel) { watched[id].panel.report(); watched[id].panel.scrollDown(); } });
    });
})(window.Atende || {});
