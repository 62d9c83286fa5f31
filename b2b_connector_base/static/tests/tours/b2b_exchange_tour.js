import { registry } from "@web/core/registry";

// A B2B user opens the exchange log, filters failed exchanges, opens one and retries it.
registry.category("web_tour.tours").add("b2b_exchange_retry_tour", {
    steps: () => [
        { trigger: ".o_list_view .o_data_row td:contains('Tour: failed call')" },
        { trigger: ".o_list_view .o_data_row td:contains('Tour: done call')" },
        { trigger: ".o_searchview_input", run: "click" },
        { trigger: ".o_searchview_input", run: "edit Tour" },
        { trigger: ".o_searchview_autocomplete .o-dropdown-item:first", run: "click" },
        { trigger: ".o_list_view .o_data_row td:contains('Tour: failed call')", run: "click" },
        { trigger: ".o_form_view .alert-danger:contains('peer answered HTTP 503')" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_retry']", run: "click" },
        { trigger: ".o_notification:contains('queued for retry')" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Pending')" },
    ],
});
