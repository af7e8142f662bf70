"""Where files live: local disk (the embedded default) or S3-compatible object storage (production on more than
one machine). Imported by base.py; test.py and production.py build on it.

Two storages, both private: every file is served by a Laurel view (the achievement image, baked badges,
certificate PDFs, issuer logos; learners' evidence and imported badges after a permission check), never by
a bucket URL. So the bucket needs no public access at all, and a page never hands out a link that outlives
a revocation or a permission.

- "default": derived documents (baked PNGs, certificate PDFs, achievement images, framework samples) and
  issuer logos. Filesystem: MEDIA_ROOT. S3: the bucket under AWS_LOCATION (default "media/").
- "private": learners' evidence files and imported badge images (wallets.storage.private_storage).
  Filesystem: PRIVATE_MEDIA_ROOT. S3: the same bucket under AWS_PRIVATE_LOCATION (default "private/").

Bulk CSV jobs keep their rows in the database (BulkRow), so a worker on another machine needs no file.
"""

import environ

BACKENDS = ("filesystem", "s3")


def storage_backend(env: environ.Env) -> str:
    """STORAGE_BACKEND, or "s3" when it is unset and a bucket is named."""
    default = "s3" if env("AWS_STORAGE_BUCKET_NAME", default="") else "filesystem"
    backend = env("STORAGE_BACKEND", default="") or default
    if backend not in BACKENDS:
        raise environ.ImproperlyConfigured(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
    return backend


def s3_options(env: environ.Env) -> dict:
    """django-storages' S3Storage options, from the AWS_* variables (.env.example)."""
    return {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None) or None,  # MinIO, Ceph, Scaleway, a local moto
        "region_name": env("AWS_S3_REGION_NAME", default=None) or None,
        "access_key": env("AWS_ACCESS_KEY_ID", default=None) or None,  # unset: boto3's chain (instance role, …)
        "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None) or None,
        "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None) or None,  # "path" for most self-hosted
        "location": env("AWS_LOCATION", default="media"),
        # No ACL header: objects get the bucket's (private, unless someone opened the bucket). Buckets with
        # ACLs disabled ("bucket owner enforced", AWS's default) refuse most ACL headers anyway.
        "default_acl": env("AWS_DEFAULT_ACL", default=None) or None,
        # Signed, expiring URLs if anything ever asks a storage for one; Laurel's pages serve files themselves.
        "querystring_auth": True,
        "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=300),
        # Never overwrite: content-addressed artefacts rely on it (credentials/artifacts/storing.py).
        "file_overwrite": False,
    }


def storages(env: environ.Env, *, backend: str) -> dict:
    """settings.STORAGES for `backend` (staticfiles: plain; production.py swaps in WhiteNoise's manifest)."""
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    if backend == "s3":
        options = s3_options(env)
        private = {**options, "location": env("AWS_PRIVATE_LOCATION", default="private")}
        if private["location"].strip("/") == options["location"].strip("/"):
            raise environ.ImproperlyConfigured("AWS_PRIVATE_LOCATION must differ from AWS_LOCATION.")
        return {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": private},
            "staticfiles": static,
        }
    # "private" on disk is wallets.storage's PrivateFileSystemStorage (PRIVATE_MEDIA_ROOT, no URL).
    return {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": static}
