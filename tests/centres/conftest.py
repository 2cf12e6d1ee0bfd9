from tests.e2e.conftest import new_page, screenshot_dir  # noqa: F401 (for test_settings_in_browser)
