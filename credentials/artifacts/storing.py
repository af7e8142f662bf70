"""Storing derived files under deterministic names, once.

The artifact paths are content-addressed (a PDF's name carries a hash of everything that went into it), so
two files for one path would hold the same document. Yet two runs can both find the path free and both
save: a task redelivered by the broker while the first delivery is still rendering (its work outlived the
visibility timeout), or two workers given the same award. Django's storages do not overwrite by default;
the second save gets a suffixed name (`…-<hash>_AbCdEf1.pdf`) and a stray second file. `store_once()`
removes the loser's copy, through the Storage API only (the storage may be S3 in production).
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def store_once(path: str, content: bytes) -> str:
    """Save `content` under `path` and return `path`. If another run stored that path in the meantime, the
    copy this call just saved (under a suffixed name) is deleted and the one already there kept: whatever
    the interleaving, one file remains. Callers check `default_storage.exists(path)` first to skip the
    work; this is for the race between that check and the save."""
    saved = default_storage.save(path, ContentFile(content))
    if saved != path and default_storage.exists(path):
        default_storage.delete(saved)
        return path
    return saved
