// Modelos de e-mail: a click on a placeholder puts it where the cursor was, in the subject or the text (the text by
// default); Enter in the preview's ticket field previews instead of saving. Without this file the list is a reference.
(function () {
    "use strict";
    var subject = document.getElementById("Input_Subject");
    var body = document.getElementById("Input_Body");
    if (!subject || !body || !window.AtendeRichText) { return; }
    var editor = window.AtendeRichText.editorOf(body);
    var target = body;
    subject.addEventListener("focus", function () { target = subject; });
    if (editor) { editor.addEventListener("focus", function () { target = body; }); }

    document.addEventListener("mousedown", function (e) {
        // Keep the cursor where it is: the chip must not take the focus away from the field on click.
        if (e.target.closest("[data-insert-placeholder]")) { e.preventDefault(); }
    });
    document.addEventListener("click", function (e) {
        var chip = e.target.closest("[data-insert-placeholder]");
        if (!chip) { return; }
        var token = chip.dataset.insertPlaceholder;
        if (target === subject) {
            var start = subject.selectionStart === null ? subject.value.length : subject.selectionStart;
            var end = subject.selectionEnd === null ? start : subject.selectionEnd;
            subject.setRangeText(token, start, end, "end");
            subject.focus();
        } else {
            window.AtendeRichText.insertText(body, token);
        }
    });

    var ticket = document.getElementById("PreviewTicket");
    var preview = document.getElementById("preview-button");
    if (ticket && preview) {
        ticket.addEventListener("keydown", function (e) {
            if (e.key === "Enter") { e.preventDefault(); preview.click(); }
        });
    }
})();
