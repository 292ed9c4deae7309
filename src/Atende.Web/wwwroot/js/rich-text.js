// Rich text: a textarea[data-rich-text] gets a small toolbar and an editable area; the textarea keeps the HTML the server
// sanitizes. Without JavaScript the textarea takes plain text. Other scripts put text or HTML where the cursor was through
// window.AtendeRichText (templates into an interaction, placeholders into a template).
(function () {
    "use strict";

    // The editor of each enhanced textarea and the last place its cursor was (lost when a button takes the focus).
    var editors = new Map();

    function caretAtEnd(editor) {
        var range = document.createRange();
        range.selectNodeContents(editor);
        range.collapse(false);
        return range;
    }

    function insert(textarea, command, value) {
        var state = editors.get(textarea);
        if (!state) { textarea.value += value; return; }
        state.editor.focus();
        var range = state.range && state.editor.contains(state.range.commonAncestorContainer) ? state.range : caretAtEnd(state.editor);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand(command, false, value);
        textarea.value = state.editor.innerHTML;
        state.range = selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : null;
    }

    window.AtendeRichText = {
        insertHtml: function (textarea, html) { insert(textarea, "insertHTML", html); },
        insertText: function (textarea, text) { insert(textarea, "insertText", text); },
        editorOf: function (textarea) { var state = editors.get(textarea); return state ? state.editor : null; }
    };

    function enhance(textarea) {
        if (editors.has(textarea)) { return; }
        var wrapper = document.createElement("div");
        wrapper.className = "rich-text";
        var toolbar = document.createElement("div");
        toolbar.className = "rich-text-toolbar btn-toolbar gap-1";
        toolbar.setAttribute("role", "toolbar");
        toolbar.setAttribute("aria-label", "Formatação");
        var editor = document.createElement("div");
        editor.className = "form-control rich-text-editor";
        editor.contentEditable = "true";
        editor.setAttribute("role", "textbox");
        editor.setAttribute("aria-multiline", "true");
        editor.dataset.placeholder = textarea.getAttribute("placeholder") || "";
        var label = document.querySelector("label[for='" + textarea.id + "']");
        if (label) { editor.setAttribute("aria-label", label.textContent.trim()); }
        if (textarea.getAttribute("aria-describedby")) { editor.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby")); }
        if (textarea.classList.contains("is-invalid") || textarea.classList.contains("input-validation-error")) {
            editor.classList.add("is-invalid");
            editor.setAttribute("aria-invalid", "true");
        }
        editor.innerHTML = textarea.value;
        var state = { editor: editor, range: null };
        editors.set(textarea, state);
        function remember() {
            var selection = window.getSelection();
            if (selection.rangeCount > 0 && editor.contains(selection.getRangeAt(0).commonAncestorContainer)) {
                state.range = selection.getRangeAt(0).cloneRange();
            }
        }
        [["bold", "bi-type-bold", "Negrito (Ctrl+B)"], ["italic", "bi-type-italic", "Itálico (Ctrl+I)"], ["underline", "bi-type-underline", "Sublinhado (Ctrl+U)"],
         ["insertUnorderedList", "bi-list-ul", "Lista"], ["insertOrderedList", "bi-list-ol", "Lista numerada"], ["createLink", "bi-link-45deg", "Link"]].forEach(function (b) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "btn btn-sm btn-outline-secondary";
            button.title = b[2];
            button.setAttribute("aria-label", b[2]);
            button.innerHTML = "<i class='bi " + b[1] + "' aria-hidden='true'></i>";
            button.addEventListener("click", function () {
                editor.focus();
                if (b[0] === "createLink") {
                    var url = window.prompt("Endereço do link (https://…)");
                    if (url) { document.execCommand("createLink", false, url); }
                } else {
                    document.execCommand(b[0], false, null);
                }
                textarea.value = editor.innerHTML;
            });
            toolbar.appendChild(button);
        });
        editor.addEventListener("input", function () { textarea.value = editor.innerHTML; });
        ["keyup", "mouseup", "blur"].forEach(function (type) { editor.addEventListener(type, remember); });
        textarea.form.addEventListener("submit", function () { textarea.value = editor.innerHTML; });
        textarea.hidden = true;
        textarea.parentNode.insertBefore(wrapper, textarea);
        wrapper.appendChild(toolbar);
        wrapper.appendChild(editor);
        wrapper.appendChild(textarea);
    }

    function enhanceAll(root) {
        if (root.matches && root.matches("textarea[data-rich-text]")) { enhance(root); }
        if (root.querySelectorAll) { root.querySelectorAll("textarea[data-rich-text]").forEach(enhance); }
    }

    enhanceAll(document);
    // Content htmx brings in later (a ticket tab loaded when shown) gets its editors too.
    document.addEventListener("htmx:load", function (e) { enhanceAll(e.detail.elt); });
})();
