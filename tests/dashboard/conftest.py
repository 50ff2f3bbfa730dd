from tests.reports.conftest import demo, demo_module  # noqa: F401  (the demo database)
