"""Django settings. Every knob is a WENKU_* environment variable (see README)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from wenku.env import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_rate,
    env_str,
    secret_key,
)
from wenku.storage import presigned_url_origin

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

PRODUCTION = env_bool("WENKU_PRODUCTION", False)
DEBUG = env_bool("WENKU_DEBUG", False)
SECRET_KEY = secret_key(DATA_DIR)
# Several machines must share one key: one generated into a data folder is per machine.
SECRET_KEY_FROM_ENV = bool(env_str("WENKU_SECRET_KEY", ""))
ALLOWED_HOSTS = env_list("WENKU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("WENKU_CSRF_TRUSTED_ORIGINS", [])
PORT = env_int("WENKU_PORT", 8000, minimum=1)
BIND = env_str("WENKU_BIND", "127.0.0.1")
SITE_URL = env_str("WENKU_SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "wenku.core",
    "wenku.accounts",
    "wenku.documents",
    "wenku.conversion",
    "wenku.search",
    "wenku.wallet",
    "wenku.moderation",
    "wenku.notifications",
    "wenku.community",
    "axes",
    # Installed, django-ninja renders /api/docs with its own Swagger UI files from
    # /static/ninja/ instead of a CDN (pages load nothing from another origin).
    "ninja",
]

MIDDLEWARE = [
    # First: a cached anonymous page is answered before anything else runs.
    "wenku.core.pagecache.middleware.page_cache",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wenku.core.middleware.chinese_first",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it turns a lockout flagged by AxesBackend into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wenku.urls"
WSGI_APPLICATION = "wenku.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wenku.core.context_processors.site",
                "wenku.wallet.context_processors.payment_mode",
                "wenku.notifications.context_processors.unread",
            ],
        },
    },
]

# --- database -------------------------------------------------------------
DATABASE_URL = env_str("WENKU_DATABASE_URL", f"sqlite:///{DATA_DIR / 'wenku.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open per thread: opening a file and its PRAGMAs cost more than a query
    # (measured: /healthz 970 → see docs/deployment.md#the-web-server).
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while the worker writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing on lock upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------
CACHE_URL = env_str("WENKU_CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wenku_cache",
        }
    }

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Called with each new member inside the sign-up transaction (accounts/signup_hooks.py).
SIGNUP_HOOKS = ["wenku.wallet.services.wallet_signup_bonus"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesBackend first: it refuses a locked-out account or address before any
# password is checked, and counts every failure (web login and API token alike).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("WENKU_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(
    minutes=env_int("WENKU_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
)
# Either a name or an address reaching the limit locks: guessing one account from
# many addresses and many accounts from one address are both stopped.
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_LOCKOUT_CALLABLE = "wenku.accounts.lockout.lockout_response"
# The lockout counts the same client address as the rate limits (behind
# WENKU_TRUSTED_PROXIES, the right-most untrusted X-Forwarded-For entry).
AXES_CLIENT_IP_CALLABLE = "wenku.core.clientip.client_ip"
API_TOKEN_DAYS = env_int("WENKU_API_TOKEN_DAYS", 30, minimum=1)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# --- rate limits (wenku/core/ratelimit.py) ---------------------------------
# Proxies whose X-Forwarded-For is believed (wenku/core/clientip.py).
TRUSTED_PROXIES = env_networks("WENKU_TRUSTED_PROXIES")
# off: no rate limit and no daily upload quota (load tests from one address);
# the login lockout stays.
RATE_LIMITS_ENABLED = env_bool("WENKU_RATE_LIMITS", True)
RATE_LIMITS = {
    "register": env_rate("WENKU_RATE_LIMIT_REGISTER", "5/h"),  # per address
    "token": env_rate("WENKU_RATE_LIMIT_TOKEN", "20/10m"),  # per address
    "report": env_rate("WENKU_RATE_LIMIT_REPORT", "10/h"),  # per member or address
    "complaint": env_rate(
        "WENKU_RATE_LIMIT_COMPLAINT", "10/h"
    ),  # per member or address
    "suggest": env_rate("WENKU_RATE_LIMIT_SUGGEST", "120/m"),  # per address
    # Comments and replies per member: a burst, and a day.
    "comment": env_rate("WENKU_RATE_LIMIT_COMMENT", "5/m"),
    "comment_day": env_rate("WENKU_RATE_LIMIT_COMMENT_DAY", "100/d"),
}
# Search suggestions come only from queries this many visitors made.
SUGGEST_MIN_VISITORS = env_int("WENKU_SUGGEST_MIN_VISITORS", 3, minimum=1)

# Page views are tallied in each web process and written every this many seconds
# (0: a write per view).
VIEW_FLUSH_SECONDS = env_int("WENKU_VIEW_FLUSH_SECONDS", 10, minimum=0)

# --- the web server of `wenku serve` (docs/deployment.md#the-web-server) ----
WEB_SERVER = env_str("WENKU_WEB_SERVER", "granian")
if WEB_SERVER not in ("granian", "gunicorn"):
    raise ImproperlyConfigured("WENKU_WEB_SERVER: granian or gunicorn")
WEB_WORKERS = env_int("WENKU_WEB_WORKERS", 2, minimum=1)
WEB_THREADS = env_int("WENKU_WEB_THREADS", 4, minimum=1)  # per worker
ACCESS_LOG = env_bool("WENKU_ACCESS_LOG", False)
# CPU niceness `wenku serve` adds to its worker (and LibreOffice under it).
WORKER_NICE = env_int("WENKU_WORKER_NICE", 10, minimum=0)

# --- the anonymous page cache (docs/deployment.md#the-page-cache) ----------
PAGE_CACHE = env_bool("WENKU_PAGE_CACHE", True)
# The longest an anonymous page is served from memory without a re-render (its tags
# invalidate it at once on every change that shows).
PAGE_CACHE_SECONDS = env_int("WENKU_PAGE_CACHE_SECONDS", 300, minimum=1)
PAGE_CACHE_BYTES = env_int("WENKU_PAGE_CACHE_MB", 64, minimum=1) * 1024 * 1024
# Where the tag versions live: "local" (a shared-memory file in the data folder, one
# machine) or "shared" (the cache: Redis with WENKU_CACHE_URL, else the database).
PAGE_CACHE_VERSIONS = env_str(
    "WENKU_PAGE_CACHE_VERSIONS",
    "local" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "shared",
)
if PAGE_CACHE_VERSIONS not in ("local", "shared"):
    raise ImproperlyConfigured("WENKU_PAGE_CACHE_VERSIONS: local or shared")

# --- moderation (docs/moderation.md) --------------------------------------
# Days a counter-notice waits before the document comes back (0: at once, as
# 条例 §17 provides; 15 is the 电商法 §43 option).
COUNTER_NOTICE_WAIT_DAYS = env_int("WENKU_COUNTER_NOTICE_WAIT_DAYS", 0, minimum=0)
# Upheld copyright complaints that suspend a member's uploads, and how long each counts.
STRIKES_TO_SUSPEND = env_int("WENKU_STRIKES_TO_SUSPEND", 3, minimum=1)
STRIKE_DAYS = env_int("WENKU_STRIKE_DAYS", 365, minimum=1)
# What buyers of a taken-down document get: "full" (the price back, from the
# seller's held income first, the platform covering any shortfall) or "none".
TAKEDOWN_REFUND = env_str("WENKU_TAKEDOWN_REFUND", "full")
if TAKEDOWN_REFUND not in ("full", "none"):
    raise ImproperlyConfigured("WENKU_TAKEDOWN_REFUND must be full or none")

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("WENKU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGE_BACKEND = env_str("WENKU_STORAGE", "local")
if STORAGE_BACKEND == "s3":
    _default_storage: dict[str, Any] = {
        "BACKEND": "wenku.storage.BucketStorage",
        "OPTIONS": {
            "bucket_name": env_str("WENKU_S3_BUCKET", "wenku"),
            "endpoint_url": env_str("WENKU_S3_ENDPOINT_URL", "") or None,
            # Presigned URLs are signed for the host readers use (default: the same).
            "public_endpoint_url": env_str("WENKU_S3_PUBLIC_ENDPOINT_URL", "") or None,
            "access_key": env_str("WENKU_S3_ACCESS_KEY", ""),
            "secret_key": env_str("WENKU_S3_SECRET_KEY", ""),
            "region_name": env_str("WENKU_S3_REGION", "") or "us-east-1",
            "signature_version": "s3v4",
            "addressing_style": env_str("WENKU_S3_ADDRESSING_STYLE", "") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# When set (e.g. "/protected/"), downloads are handed to nginx by X-Accel-Redirect.
X_ACCEL_REDIRECT_PREFIX = env_str("WENKU_X_ACCEL_REDIRECT", "")

MAX_UPLOAD_BYTES = env_int("WENKU_MAX_UPLOAD_MB", 100, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

# --- conversion -------------------------------------------------------------
CONVERSION: dict[str, Any] = {
    "POOL_SIZE": env_int("WENKU_CONVERT_POOL_SIZE", 2, minimum=1),
    "JOB_TIMEOUT": env_int("WENKU_CONVERT_TIMEOUT", 120, minimum=5),
    "JOBS_PER_PROCESS": env_int("WENKU_CONVERT_RECYCLE_AFTER", 200, minimum=1),
    "MAX_PAGES": env_int("WENKU_MAX_PAGES", 2000, minimum=1),
    "RENDER_MAX_PAGES": env_int("WENKU_RENDER_MAX_PAGES", 300, minimum=1),
    "PAGE_WIDTH": env_int("WENKU_PAGE_WIDTH", 1000, minimum=100),
    "MAX_PAGE_PIXELS": env_int("WENKU_MAX_PAGE_PIXELS", 12_000_000, minimum=10_000),
    "MAX_UNZIPPED_BYTES": env_int("WENKU_MAX_UNZIPPED_MB", 500, minimum=1)
    * 1024
    * 1024,
    "MAX_ZIP_ENTRIES": env_int("WENKU_MAX_ZIP_ENTRIES", 10_000, minimum=10),
    "MEMORY_LIMIT_BYTES": env_int("WENKU_CONVERT_MEMORY_MB", 2048, minimum=128)
    * 1024
    * 1024,
    "OCR": env_bool("WENKU_OCR", True),
    "OCR_PAGE_TIMEOUT": env_int("WENKU_OCR_PAGE_TIMEOUT", 30, minimum=1),
    "OCR_MAX_PAGES": env_int("WENKU_OCR_MAX_PAGES", 20, minimum=0),
    "WEBP_QUALITY": env_int("WENKU_WEBP_QUALITY", 75, minimum=1),
    "MAX_ATTEMPTS": env_int("WENKU_CONVERT_MAX_ATTEMPTS", 3, minimum=1),
    # Tools ("" = Debian's paths) and where the extracted Chinese faces are kept.
    "UNO_PYTHON": env_str("WENKU_UNO_PYTHON", ""),
    "SOFFICE": env_str("WENKU_SOFFICE", ""),
    "SOFFICE_BIN": env_str("WENKU_SOFFICE_BIN", ""),
    "FONT_CACHE": env_str("WENKU_FONT_CACHE", ""),
}

# --- celery -----------------------------------------------------------------
# The embedded default is Wenku's own kombu transport on a SQLite file in the data
# folder (wenku/broker.py); redis:// and amqp:// URLs are used as they are.
BROKER_URL = env_str("WENKU_BROKER_URL", "") or "sqlite://"
EMBEDDED_BROKER = BROKER_URL.startswith("sqlite:")
BROKER_VISIBILITY_TIMEOUT = env_int("WENKU_BROKER_VISIBILITY_TIMEOUT", 3600, minimum=10)
if EMBEDDED_BROKER:
    _broker_file = BROKER_URL[len("sqlite://") :] or str(DATA_DIR / "broker.sqlite3")
    CELERY_BROKER_URL = f"wenku-sqlite+sqlite://{_broker_file}"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
        "polling_interval": 0.01,
    }
    # Remote control needs fanout, which a table of queues does not offer.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    CELERY_BROKER_URL = BROKER_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_TASK_ALWAYS_EAGER = env_bool("WENKU_TASKS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = CONVERSION["JOB_TIMEOUT"] * 3
# A converting worker holds a lease on its document and renews it while it works; the
# periodic sweep queues again every `processing` document whose lease ran out (its
# worker died) or that was never picked up (its message was lost).
CONVERSION["LEASE_SECONDS"] = env_int("WENKU_CONVERT_LEASE", 30, minimum=5)
CONVERSION["SWEEP_EVERY"] = env_int("WENKU_CONVERT_SWEEP_EVERY", 10, minimum=1)
CONVERSION["UNCLAIMED_AFTER"] = env_int("WENKU_CONVERT_UNCLAIMED_AFTER", 300, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = CONVERSION["JOB_TIMEOUT"] * 2
CELERY_TASK_DEFAULT_QUEUE = "wenku"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
WORKER_CONCURRENCY = env_int("WENKU_WORKER_CONCURRENCY", 2, minimum=1)
# Periodic jobs, run by the worker started with --beat (`wenku serve` does this).
CELERY_BEAT_SCHEDULE = {
    "requeue-expired-conversions": {
        "task": "wenku.requeue_expired_conversions",
        "schedule": CONVERSION["SWEEP_EVERY"],
        "options": {"queue": "wenku", "expires": CONVERSION["SWEEP_EVERY"]},
    },
    "refresh-related-documents": {
        "task": "wenku.search.refresh_stale_related",
        "schedule": 6 * 3600,
        "options": {"queue": "wenku"},
    },
    "release-held-income": {
        "task": "wenku.wallet.release_held_income",
        "schedule": 3600,
        "options": {"queue": "wenku", "expires": 3600},
    },
    "restore-counter-noticed": {
        "task": "wenku.moderation.restore_counter_noticed",
        "schedule": 3600,
        "options": {"queue": "wenku", "expires": 3600},
    },
}

# --- security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every script, style, font and request comes from the site itself: no inline script,
# style or handler, no other origin (Swagger UI at /api/docs is ninja's own static
# files with an external init script). data: is for the icons in Swagger UI's CSS.
# Page images and covers in a bucket are redirects to presigned URLs, so img-src also
# allows the one origin those URLs carry.
_IMG_SRC = [SELF, "data:"]
if STORAGE_BACKEND == "s3":
    _bucket = _default_storage["OPTIONS"]
    _IMG_SRC.append(
        presigned_url_origin(
            bucket_name=_bucket["bucket_name"],
            public_endpoint_url=_bucket["public_endpoint_url"]
            or _bucket["endpoint_url"],
            region_name=_bucket["region_name"],
            addressing_style=_bucket["addressing_style"],
        )
    )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": _IMG_SRC,
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("WENKU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("WENKU_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WENKU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- wallet -------------------------------------------------------------------
# Payment provider for recharges; empty (the default) turns recharge off. "sandbox"
# is a test provider: every page then says so, and its points are bonus points.
WALLET_PAYMENT_PROVIDER = env_str("WENKU_PAYMENT_PROVIDER", "")
# HMAC secret of the sandbox provider's notices; empty derives one from SECRET_KEY.
WALLET_SANDBOX_PAY_SECRET = env_str("WENKU_SANDBOX_PAY_SECRET", "")
# Lifetime in seconds of a signed download link.
WALLET_DOWNLOAD_LINK_TTL = env_int("WENKU_DOWNLOAD_LINK_TTL", 300, minimum=5)
