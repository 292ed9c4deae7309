// Tokens page: a "Copiar" button for the new secret (the field is selectable without it).
(function () {
    "use strict";
    document.querySelectorAll("[data-copy]").forEach(function (button) {
        var source = document.querySelector(button.dataset.copy);
        if (!source || !navigator.clipboard) { return; }
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(source.value).then(function () {
                button.querySelector("span").textContent = "Copiado";
            });
        });
    });
    document.querySelectorAll("[data-copy-source]").forEach(function (input) {
        input.addEventListener("focus", function () { input.select(); });
    });
})();
