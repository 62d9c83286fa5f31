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
