from . import test_sandbox_backend
