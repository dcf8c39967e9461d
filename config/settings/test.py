"""Settings for the test suite: fast hashing, immediate tasks, plain static storage."""

from .base import *  # noqa: F403
from .base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HOANHAP_REQUIRE_2FA = True
AXES_ENABLED = True

import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="hoanhap-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="hoanhap-test-static-")
HOANHAP_PROGRESS_DIR = tempfile.mkdtemp(prefix="hoanhap-test-progress-")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# pytest-django empties tables between transactional tests; only the test suite may purge the audit log.
HOANHAP_ALLOW_AUDIT_PURGE = True
