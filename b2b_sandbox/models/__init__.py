from . import b2b_sandbox_backend
