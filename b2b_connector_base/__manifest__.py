{
    "name": "B2B Connector Base",
    "summary": "Shared base of b2b-connect: exchange log, encrypted credentials, HTTP client, "
    "safe XML, schedules, B2B groups",
    "version": "19.0.1.0.0",
    "category": "Technical",
    "author": "b2b-connect",
    "website": "https://github.com/b2b-connect/b2b-connect",
    "license": "LGPL-3",
    "depends": ["base", "mail", "queue_job"],
    "external_dependencies": {"python": ["lxml", "requests", "cryptography"]},
    "data": [
        "security/b2b_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "data/b2b_exchange_type_data.xml",
        "views/b2b_exchange_type_views.xml",
        "views/b2b_exchange_views.xml",
        "views/b2b_menus.xml",
    ],
    "demo": ["demo/b2b_exchange_demo.xml"],
    "assets": {
        "web.assets_tests": ["b2b_connector_base/static/tests/tours/*.js"],
    },
    "application": True,
    "installable": True,
}
