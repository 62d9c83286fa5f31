"""Plain-Python building blocks shared by every b2b-connect addon (no Odoo import).

safe_xml   hardened XML parsing and XSD/DTD/Schematron validation
http       HTTP client with timeouts, retries/backoff, Retry-After, request budgets, call records
ratelimit  sliding-window request budgets and token buckets
crypto     Fernet encryption of credentials at rest
schedule   interval + active hours + weekdays
masking    secrets out of logs and messages
"""
