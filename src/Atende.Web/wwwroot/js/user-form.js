// User form: show the workspaces for staff roles and the company for Portal. Without this file both stay usable.
(function () {
    "use strict";
    var role = document.querySelector("[data-user-role]");
    if (!role) { return; }
    function sync() {
        document.querySelectorAll("[data-role-section]").forEach(function (section) {
            section.hidden = section.dataset.roleSection.split(" ").indexOf(role.value) < 0;
        });
    }
    role.addEventListener("change", sync);
    sync();
})();
