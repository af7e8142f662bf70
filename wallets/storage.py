"""Where learners' private files live: never under MEDIA_URL; served only by views that check permission.

Filesystem: PRIVATE_MEDIA_ROOT (read on each access, so tests can point it elsewhere). With
STORAGE_BACKEND=s3 the "private" storage of settings.STORAGES (same bucket, prefix private/, private ACL).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without a URL, rooted at settings.PRIVATE_MEDIA_ROOT."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no public URL; they are served by a view that checks permission.")

    def deconstruct(self):
        return ("wallets.storage.PrivateFileSystemStorage", (), {})


_filesystem = PrivateFileSystemStorage()


def private_storage():
    """The storage of evidence files and imported badge images (a callable, so migrations stay stable)."""
    try:
        return storages["private"]
    except InvalidStorageError:
        return _filesystem
