# The live stack and the day's data are the end-to-end tests' fixtures.
from tests.e2e.conftest import (  # noqa: F401
    busy_centre,
    day_centre,
    new_page,
    screenshot_dir,
    staff_user,
    work_types,
)
