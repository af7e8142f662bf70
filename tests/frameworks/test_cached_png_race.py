"""Two processes (on two machines) rendering the same image at once leave one file, not a suffixed copy."""

from pathlib import Path
from unittest import mock

from django.core.files.storage import default_storage

from frameworks.samples import cached_png

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def test_the_loser_of_a_race_deletes_its_copy(settings):
    path, png = cached_png(SVG, prefix="race/test", size=16)  # what the other process stored
    storage = default_storage._wrapped
    real_exists = type(storage).exists
    checked = []

    def exists(name):  # cached_png's two checks miss the file the other process saved meanwhile
        checked.append(name)
        return False if len(checked) <= 2 else real_exists(storage, name)

    with mock.patch.object(storage, "exists", side_effect=exists):
        again_path, again = cached_png(SVG, prefix="race/test", size=16)
    assert again_path == path and again == png and checked[:2] == [path, path]
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT, "race").iterdir()) == [Path(path).name]
    with default_storage.open(path, "rb") as handle:
        assert handle.read() == png


def test_first_render_stores_it(settings):
    path, png = cached_png(SVG, prefix="race/first", size=16)
    assert default_storage.exists(path) and png[:8] == b"\x89PNG\r\n\x1a\n"
