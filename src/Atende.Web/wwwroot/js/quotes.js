// The quote form (Pages/Quotes/Edit.cshtml) and the purchase form (Pages/Purchases/New.cshtml), both marked
// data-quote-form with .quote-line rows whose fields carry data-quote-catalog, -description, -quantity, -price, -discount,
// -kind and -line-total: a catalog item fills its line's description and unit price, and the line, subtotal, discount and
// total amounts follow what is typed. The rule is QuoteMath's, in whole cents with BigInt so no
// floating point is involved: gross = quantity × unit price rounded to cents half away from zero; a % discount is
// gross × % rounded the same way; line total = gross − discount. The server computes the amounts again when saving,
// and its figures are the ones kept.
(function () {
    "use strict";
    var form = document.querySelector("[data-quote-form]");
    if (!form) { return; }

    form.querySelectorAll("[data-quote-nojs]").forEach(function (el) { el.hidden = true; });
    form.querySelectorAll("[data-quote-add]").forEach(function (el) { el.hidden = false; });

    // "1.234,56" → { units: 123456n, places: 2 }; null when it is not a pt-BR number with at most maxPlaces decimals.
    function read(text, maxPlaces) {
        var clean = (text || "").replace(/R\$|%|\s/g, "");
        if (clean === "") { return { value: 0n, empty: true }; }
        if (!/^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/.test(clean)) { return null; }
        var parts = clean.replace(/\./g, "").split(",");
        var decimals = parts[1] || "";
        if (decimals.length > maxPlaces) { return null; }
        decimals = (decimals + "000").slice(0, maxPlaces);
        return { value: BigInt(parts[0] + decimals), empty: false };
    }

    // n / d rounded half away from zero (d > 0).
    function divRound(n, d) {
        var negative = n < 0n;
        var a = negative ? -n : n;
        var q = (a * 2n + d) / (2n * d);
        return negative ? -q : q;
    }

    function money(cents) {
        var negative = cents < 0n;
        var a = negative ? -cents : cents;
        var whole = (a / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
        var rest = (a % 100n).toString().padStart(2, "0");
        return (negative ? "-" : "") + "R$ " + whole + "," + rest;
    }

    // A line's { gross, discount } in cents, or null when something typed cannot be read yet.
    function line(row) {
        var quantity = read(row.querySelector("[data-quote-quantity]").value, 3);     // thousandths
        var price = read(row.querySelector("[data-quote-price]").value, 2);           // cents
        var percent = row.querySelector("[data-quote-kind]").value === "Percent";
        var discount = read(row.querySelector("[data-quote-discount]").value, 2);     // cents, or hundredths of a percent
        if (!quantity || !price || !discount) { return null; }
        var gross = divRound(quantity.value * price.value, 1000n);
        var off = percent ? divRound(gross * discount.value, 10000n) : discount.value;
        return { gross: gross, discount: off, empty: price.empty && discount.empty && !row.querySelector("[data-quote-catalog]").value && !row.querySelector("[data-quote-description]").value.trim() };
    }

    function update() {
        var subtotal = 0n, discounts = 0n, unknown = false;
        form.querySelectorAll(".quote-line").forEach(function (row) {
            var amounts = line(row);
            var cell = row.querySelector("[data-quote-line-total]");
            if (!amounts) { cell.textContent = "?"; cell.title = "Valor não reconhecido"; unknown = true; return; }
            cell.title = "";
            if (amounts.empty) { cell.textContent = "—"; return; }
            cell.textContent = money(amounts.gross - amounts.discount);
            subtotal += amounts.gross;
            discounts += amounts.discount;
        });
        form.querySelector("[data-quote-subtotal]").textContent = unknown ? "—" : money(subtotal);
        form.querySelector("[data-quote-discounts]").textContent = unknown ? "—" : money(discounts);
        form.querySelector("[data-quote-total]").textContent = unknown ? "—" : money(subtotal - discounts);
    }

    form.addEventListener("change", function (e) {
        var select = e.target.closest("[data-quote-catalog]");
        if (select) {
            var row = select.closest(".quote-line");
            var option = select.selectedOptions[0];
            var description = row.querySelector("[data-quote-description]");
            var price = row.querySelector("[data-quote-price]");
            // The name replaces the description only when it was empty or the previous item's name, so a typed text stays.
            if (option && option.value) {
                if (!description.value.trim() || description.value === description.dataset.filledFrom) {
                    description.value = option.dataset.name;
                    description.dataset.filledFrom = option.dataset.name;
                }
                price.value = option.dataset.price;
            }
        }
        update();
    });
    form.addEventListener("input", update);
    // Rows added or removed by site.js's repeatable rows.
    form.addEventListener("click", function (e) {
        if (e.target.closest("[data-repeat-add], [data-repeat-remove]")) { setTimeout(update, 0); }
    });
    update();
})();
