{
    "name": "B2B Sandbox Peers",
    "summary": "Sandbox peers (wholesaler, web shops, procurement systems, BaseLinker) and a sandbox "
    "backend for b2b-connect tests and demo",
    "version": "19.0.1.0.0",
    "category": "Technical",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["b2b_connector_base"],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_sandbox_security.xml",
        "data/b2b_exchange_type_data.xml",
        "views/b2b_sandbox_backend_views.xml",
    ],
    "demo": ["demo/b2b_sandbox_demo.xml"],
    "installable": True,
}
