from tests.staff.conftest import console  # noqa: F401 (two programmes, an achievement, one account per role)
