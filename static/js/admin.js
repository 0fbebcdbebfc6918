'use strict';
// What Django's admin widgets need for screen readers that only a script can give, as the
// widgets are drawn by scripts (Django 5.2, with Select2 4.0.13). Loaded on every admin page
// with `defer` (templates/admin/base_site.html): it runs after the widgets' scripts are read
// and before they draw anything.
{
    const jQuery = window.django && window.django.jQuery;

    // An autocomplete (Select2) is named by its field's label: Select2 names its box by the
    // choice shown, so an empty one has no name, and its search box has none at all.
    function nameAutocomplete(select) {
        const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        const instance = jQuery(select).data('select2');
        if (!label || !instance) {
            return;
        }
        label.id = label.id || `${select.id}_label`;
        const selection = instance.$container[0].querySelector('.select2-selection');
        const shown = selection.querySelector('.select2-selection__rendered[id]');
        const search = selection.querySelector('.select2-search__field');
        // A single choice: "Venue: <the venue chosen>"; several: the box to type in.
        selection.setAttribute('aria-labelledby', shown ? `${label.id} ${shown.id}` : label.id);
        if (shown) {
            shown.setAttribute('aria-labelledby', label.id);
        }
        if (search) {
            search.setAttribute('aria-labelledby', label.id);
        }
    }

    if (jQuery && jQuery.fn.djangoAdminSelect2) {
        const draw = jQuery.fn.djangoAdminSelect2;
        jQuery.fn.djangoAdminSelect2 = function() {
            // Several choices each have their own remove button; Select2's "remove all"
            // would be a <span> inside the list of choices, which a list may not hold.
            this.filter('[multiple]').attr('data-allow-clear', 'false');
            draw.call(this);
            this.each((index, select) => nameAutocomplete(select));
            return this;
        };
    }

    // The filter boxes of a "choose several" widget (SelectFilter2.js, drawn on load): their
    // label is an icon carrying its text in aria-label, which only an image may have.
    window.addEventListener('load', function() {
        document.querySelectorAll('.search-label-icon[aria-label]').forEach(function(icon) {
            icon.setAttribute('role', 'img');
        });
    });
}
