import { registry } from "@web/core/registry";

// A B2B user opens the B2B app: one card per backend with its health; the failed button of a card lists
// the failed exchanges of that backend only; the graph of exchanges per day opens from the overview.
registry.category("web_tour.tours").add("b2b_overview_tour", {
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Overview Wholesaler') .o_b2b_health:contains('Failures')",
        },
        { trigger: ".o_kanban_record:contains('Overview Wholesaler') .o_b2b_failed_24h:contains('1')" },
        { trigger: ".o_kanban_record:contains('Overview Wholesaler') .o_b2b_queue:contains('2')" },
        { trigger: ".o_kanban_record:contains('Overview Wholesaler') .o_b2b_last_success:not(:contains('never'))" },
        { trigger: ".o_kanban_record:contains('Overview Newcomer') .o_b2b_last_success:contains('never')" },
        { trigger: ".o_kanban_record:contains('Overview Newcomer') .o_b2b_health:contains('No exchange yet')" },
        {
            trigger: ".o_kanban_record:contains('Overview Wholesaler') button.o_b2b_failed_button:contains('2 failed')",
            run: "click",
        },
        { trigger: ".o_breadcrumb:contains('Failed exchanges of Overview Wholesaler')" },
        { trigger: ".o_list_view .o_data_row td:contains('Overview: failed order')" },
        { trigger: ".o_list_view .o_data_row td:contains('Overview: failed last week')" },
        {
            // only the failed exchanges of that backend: two rows, none of the shop's
            trigger: ".o_list_view:not(:has(td:contains('of the shop'))):not(:has(td:contains('queued')))",
        },
        { trigger: ".o_control_panel:not(:has(.o_list_button_add))" },
        { trigger: ".o_breadcrumb .breadcrumb-item a:contains('B2B Overview')", run: "click" },
        { trigger: ".o_control_panel button:contains('Exchanges per day')", run: "click" },
        { trigger: ".o_graph_view .o_graph_canvas_container canvas" },
    ],
});
