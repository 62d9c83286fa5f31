# The PrestaShop platform of b2b_ecommerce_sync. For now only its plain-Python protocol package (protocol/);
# the manifest, the backend model's selection_add and the demo come with phase 2 of issue #13.
