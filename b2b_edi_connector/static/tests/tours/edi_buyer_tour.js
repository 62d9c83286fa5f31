import { registry } from "@web/core/registry";

// A purchase user orders from an EDI supplier to a building site, for a project: both are on the form
// as soon as the vendor is an EDI supplier; the confirmed order is queued for the wholesaler.
registry.category("web_tour.tours").add("b2b_edi_buyer_tour", {
    steps: () => [
        { trigger: ".o_form_view .o_field_widget[name='partner_id'] input", run: "edit Tour Wholesaler" },
        { trigger: ".ui-menu-item > a:contains('Tour Wholesaler')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='edi_delivery_address_id'] input", run: "edit Tour Site" },
        { trigger: ".ui-menu-item > a:contains('Tour Site')", run: "click" },
        { trigger: ".o_form_view .o_field_widget[name='edi_project_id'] input", run: "edit Tour Project" },
        { trigger: ".ui-menu-item > a:contains('Tour Project')", run: "click" },
        { trigger: ".o_field_x2many_list_row_add > a", run: "click" },
        { trigger: ".o_selected_row .o_field_widget[name='product_id'] input", run: "edit Tour Frame" },
        { trigger: ".ui-menu-item > a:contains('Tour Frame')", run: "click" },
        { trigger: ".o_selected_row .o_field_widget[name='product_qty'] input", run: "edit 7" },
        { trigger: ".o_form_view .o_statusbar_buttons button[name='button_confirm']", run: "click" },
        // saving and confirming take a while on a loaded machine
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Purchase Order')",
            timeout: 60000,
        },
        { trigger: ".o_form_view .o_field_widget[name='edi_state']:contains('To send')", timeout: 30000 },
    ],
});

// The buyer opens an order whose sending failed: the reason is on the order and in its chatter.
registry.category("web_tour.tours").add("b2b_edi_failed_send_tour", {
    steps: () => [
        {
            trigger:
                ".o_form_view .alert-danger:contains('Not sent via EDI'):contains('could not be authenticated')",
            timeout: 30000,
        },
        { trigger: ".o-mail-Message:contains('could not be sent to Tour Wholesaler B.V. via EDI')", timeout: 30000 },
    ],
});
