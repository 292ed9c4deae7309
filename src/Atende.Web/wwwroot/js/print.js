// The print pages' "Imprimir" button (a script: the Content-Security-Policy allows no inline handler).
document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { window.print(); }
});
