// "Novo contato": the sub-classification list shows only the chosen classification's entries (all of them without JavaScript).
(() => {
    const category = document.querySelector('[data-portal-category]');
    const sub = document.querySelector('[data-portal-subcategory]');
    if (!category || !sub) {
        return;
    }
    const placeholder = sub.options[0];
    const sync = () => {
        let visible = 0;
        for (const group of sub.querySelectorAll('optgroup')) {
            const match = group.dataset.category === category.value;
            group.hidden = !match;
            group.disabled = !match;
            visible += match ? group.children.length : 0;
        }
        if (sub.selectedOptions[0]?.parentElement?.disabled) {
            sub.value = '';
        }
        placeholder.textContent = !category.value ? 'Escolha a classificação primeiro…' : visible === 0 ? 'Sem sub-classificações' : 'Escolha…';
    };
    category.addEventListener('change', sync);
    sync();
})();
