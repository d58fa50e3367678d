/* The admin's city autocomplete ranks the cities of the form's network first: every
   autocomplete request carries the network chosen in the same inline row, or else in the form
   (?network=<id>; cities/admin.py, CityAdmin.preferred_networks). Loaded after jquery.init.js. */
'use strict';
(function($) {
    if (!$) {
        return;
    }
    let opened = null;
    $(document).on('select2:opening', function(event) {
        opened = event.target;
    });
    function networkOf(element) {
        if (!element) {
            return '';
        }
        const row = element.closest('tr, .inline-related, form');
        const scopes = [row, element.closest('form')];
        for (const scope of scopes) {
            const select = scope && scope.querySelector('select[name$="network"]');
            if (select && select.value) {
                return select.value;
            }
        }
        return '';
    }
    $.ajaxPrefilter(function(options) {
        if (!options.url || options.url.indexOf('/autocomplete/') === -1) {
            return;
        }
        const network = networkOf(opened);
        if (network) {
            options.url += (options.url.indexOf('?') === -1 ? '?' : '&') + 'network=' + encodeURIComponent(network);
        }
    });
})(window.django && window.django.jQuery);
