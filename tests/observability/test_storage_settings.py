"""STORAGES from the environment: local disk by default, S3 when a bucket is named (or STORAGE_BACKEND=s3)."""

import environ
import pytest

from config.settings.storage import storage_backend, storages


@pytest.fixture
def env(monkeypatch):
    for name in (
        "STORAGE_BACKEND",
        "AWS_STORAGE_BUCKET_NAME",
        "AWS_S3_ENDPOINT_URL",
        "AWS_LOCATION",
        "AWS_PRIVATE_LOCATION",
        "AWS_DEFAULT_ACL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    ):
        monkeypatch.delenv(name, raising=False)  # fmt: skip

    def make(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return environ.Env()

    return make


def test_local_disk_by_default(env):
    e = env()
    assert storage_backend(e) == "filesystem"
    result = storages(e, backend="filesystem")
    assert result["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert "private" not in result  # wallets.storage's PrivateFileSystemStorage (PRIVATE_MEDIA_ROOT)


def test_a_bucket_means_s3_with_a_private_prefix_apart(env):
    e = env(AWS_STORAGE_BUCKET_NAME="laurel", AWS_S3_ENDPOINT_URL="https://s3.example.org", AWS_ACCESS_KEY_ID="k")
    assert storage_backend(e) == "s3"
    result = storages(e, backend="s3")
    default, private = result["default"]["OPTIONS"], result["private"]["OPTIONS"]
    assert result["default"]["BACKEND"] == result["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["bucket_name"] == private["bucket_name"] == "laurel"
    assert (default["location"], private["location"]) == ("media", "private")
    assert default["endpoint_url"] == "https://s3.example.org" and default["access_key"] == "k"
    assert default["secret_key"] is None  # unset: boto3's own chain (instance role, …)
    assert default["file_overwrite"] is False and default["querystring_auth"] is True
    assert default["default_acl"] is None


def test_filesystem_can_be_forced_and_nonsense_is_refused(env):
    assert storage_backend(env(AWS_STORAGE_BUCKET_NAME="laurel", STORAGE_BACKEND="filesystem")) == "filesystem"
    with pytest.raises(environ.ImproperlyConfigured, match="STORAGE_BACKEND"):
        storage_backend(env(STORAGE_BACKEND="ftp"))
    with pytest.raises(environ.ImproperlyConfigured, match="AWS_PRIVATE_LOCATION"):
        storages(env(AWS_STORAGE_BUCKET_NAME="b", AWS_LOCATION="files", AWS_PRIVATE_LOCATION="files/"), backend="s3")
