// Início: the sales chart (Chart.js). Its numbers are also in the table under it, each a link; a bar opens its month's
// sales list, the same list the number links to.
(function () {
    "use strict";
    var canvas = document.getElementById("sales-chart");
    var data = document.getElementById("sales-data");
    if (!canvas || !data || !window.Chart) { return; }
    var months = JSON.parse(data.textContent);
    var money = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
    var chart = new window.Chart(canvas, {
        type: "bar",
        data: {
            labels: months.map(function (m) { return m.label; }),
            datasets: [{ label: "Vendas (R$)", data: months.map(function (m) { return m.total; }), backgroundColor: "#1f3a68", borderRadius: 4 }]
        },
        options: {
            animation: false,
            plugins: {
                legend: { display: false },
                tooltip: { callbacks: { label: function (c) { var m = months[c.dataIndex]; return money.format(m.total) + " · " + m.count + (m.count === 1 ? " venda" : " vendas"); } } }
            },
            scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return money.format(v); } } } },
            onHover: function (e, items) { canvas.style.cursor = items.length ? "pointer" : "default"; },
            onClick: function (e, items) { if (items.length) { location.href = months[items[0].index].url; } }
        }
    });
    canvas.dataset.ready = String(chart.data.labels.length);
})();
