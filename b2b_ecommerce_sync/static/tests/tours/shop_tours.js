import { registry } from "@web/core/registry";

// A shop order's "Delivered (tell the shop)": not offered before the delivery is done, then asks first.
registry.category("web_tour.tours").add("b2b_shop_delivered_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Sales Order')" },
        { trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_b2b_shop_delivered']))" },
        { trigger: ".o_form_view button[name='action_view_delivery']", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']", run: "click" },
        { trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')" },
        { trigger: ".breadcrumb-item.o_back_button", run: "click" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='action_b2b_shop_delivered']", run: "click" },
        { trigger: ".modal .modal-body:contains('Tell the web shop that the customer received this order?')" },
        { trigger: ".modal .modal-footer .btn-primary", run: "click" },
        { trigger: "body:not(:has(.modal))" },
        // its import, the delivery's tracking number and now "delivered"
        { trigger: ".o_form_view button[name='action_b2b_view_exchanges'] .o_stat_value:contains('3')" },
    ],
});

// The screens of the README (B2B_SCREENSHOTS=1): the test captures the page when it reads "b2b_screenshot".
registry.category("web_tour.tours").add("b2b_screenshot_tour", {
    steps: () => [
        { trigger: ".o_action_manager .o_view_controller" },
        { trigger: "body:not(:has(.o_loading_indicator))" },
        {
            trigger: "body",
            run: async () => {
                await new Promise((resolve) => setTimeout(resolve, 1000)); // fonts and images settle
                console.log("b2b_screenshot");
                await new Promise((resolve) => setTimeout(resolve, 2000)); // the capture is taken meanwhile
            },
        },
    ],
});
