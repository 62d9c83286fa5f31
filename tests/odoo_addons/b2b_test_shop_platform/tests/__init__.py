from . import test_platform_addon
