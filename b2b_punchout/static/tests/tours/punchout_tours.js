import { registry } from "@web/core/registry";
import * as tourUtils from "@website_sale/js/tours/tour_utils";

// The buyer arrives from the procurement system already logged in (start page), adds a product, and sends
// the cart back instead of checking out; the procurement system then brings the browser to /punchout/closed.
function punchoutSteps(productName) {
    return [
        ...tourUtils.addToCart({ productName, search: false, expectUnloadPage: true }),
        tourUtils.goToCart({ quantity: 1 }),
        {
            content: "no checkout button in a punch-out session",
            trigger: "body:not(:has(a[name='website_sale_main_button']))",
        },
        {
            content: "Send order to the procurement system",
            trigger: "button.o_punchout_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "the procurement system received the cart and closed the punch-out",
            trigger: ".o_punchout_closed",
        },
    ];
}

for (const protocol of ["cxml", "oci", "peppol"]) {
    registry.category("web_tour.tours").add(`b2b_punchout_${protocol}_tour`, {
        steps: () => punchoutSteps("Punch Desk"),
    });
}

// The login link as "Generate new link" made it: the buyer lands in the shop as the punch-out buyer (its
// customer's name in the header, no pricelist to choose), and its cart shows no checkout steps.
registry.category("web_tour.tours").add("b2b_punchout_link_tour", {
    steps: () => [
        {
            content: "the link opens the shop",
            trigger: "#products_grid",
        },
        {
            content: "signed in as the punch-out buyer",
            trigger: "header:contains('Linked Procurement')",
        },
        {
            content: "no pricelist switcher for a punch-out buyer",
            trigger: "body:not(:has(.o_pricelist_dropdown))",
        },
        ...tourUtils.addToCart({ productName: "Punch Desk", search: false, expectUnloadPage: true }),
        tourUtils.goToCart({ quantity: 1 }),
        {
            content: "no checkout steps (address, payment) in a punch-out session",
            trigger: "body:not(:has(.o_wizard))",
        },
        ...punchoutSteps("Punch Desk").slice(-3),
    ],
});
