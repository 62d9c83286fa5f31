{
    "name": "B2B Sandbox (demo and tests)",
    "summary": "Demo and test addon, not for production databases: sandbox peers that play the wholesaler, "
    "the web shops, the procurement systems and BaseLinker for b2b-connect's tests and demo, and a sandbox "
    "backend showing the shared base at work",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    # the addons whose protocol packages the peers and b2b_sandbox/protocol/ import
    "depends": ["b2b_connector_base", "b2b_edi_connector", "b2b_punchout"],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_sandbox_security.xml",
        "data/b2b_exchange_type_data.xml",
        "views/b2b_sandbox_backend_views.xml",
    ],
    "demo": ["demo/b2b_sandbox_demo.xml"],
    "installable": True,
}
