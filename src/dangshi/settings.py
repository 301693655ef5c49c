"""One settings module, read from the environment (see docs/deploy.md).

Nothing needs to be set for the embedded default: SQLite in WAL mode under
var/, a generated secret key kept in var/, DEBUG off.
"""

import secrets
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from dangshi.env import env_bool, env_float, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent
_repo = SRC_DIR.parent.parent
HOME_DIR = Path(env_str("DANGSHI_HOME") or (_repo if (_repo / "pyproject.toml").exists() else Path.cwd()))
VAR_DIR = Path(env_str("DANGSHI_VAR") or HOME_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _kept_secret(name: str, make) -> str:
    """A secret from the environment, else one generated once and kept in var/."""
    if value := env_str(name):
        return value
    path = VAR_DIR / name.lower()
    if not path.exists():
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _kept_secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Key for personal data at rest (ID numbers, phones). Every app server must share it.
FIELD_ENCRYPTION_KEY = _kept_secret("FIELD_ENCRYPTION_KEY", lambda: secrets.token_urlsafe(32))
# Where that key came from: the environment (kept apart, as deploy.md asks) or var/ (generated).
FIELD_ENCRYPTION_KEY_FROM_ENV = bool(env_str("FIELD_ENCRYPTION_KEY"))

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "dangshi.core",
    "dangshi.accounts",
    "dangshi.audit",
    "dangshi.messaging",
    "dangshi.orgs",
    "dangshi.learning",
    "dangshi.quiz",
    "dangshi.redsites",
    "dangshi.outreach",
    "dangshi.practical",
    "dangshi.hotline",
    "dangshi.pledges",
    "dangshi.supervision",
    "dangshi.review",
    "dangshi.reports",
    "dangshi.live",
]

MIDDLEWARE = [
    "dangshi.core.observe.RequestObserverMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "dangshi.core.middleware.RequestContextMiddleware",
    "dangshi.orgs.middleware.ScopeMiddleware",
    "dangshi.core.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "dangshi.urls"
WSGI_APPLICATION = "dangshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangshi.core.context_processors.shell",
            ],
        },
    },
]


def _database(url: str) -> dict:
    """DATABASE_URL: sqlite:///path (relative to DANGSHI_HOME) or postgres://user:pass@host:port/name."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw = unquote(parts.path.removeprefix("/")) or "var/dangshi.sqlite3"
        path = Path(raw) if Path(raw).is_absolute() else HOME_DIR / raw
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            "OPTIONS": {
                # WAL lets readers run beside the one writer; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_NAME") or None},
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.removeprefix("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"DATABASE_URL must start with sqlite:// or postgres://, not {url!r}")


DATABASES = {"default": _database(env_str("DATABASE_URL", "sqlite:///var/dangshi.sqlite3"))}
# A streaming read replica: only the reads marked `reads_from_replica` go there (core/replica.py).
if DATABASE_REPLICA_URL := env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # In tests the replica reads the test database the primary creates and streams to it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dangshi.core.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if find_spec("redis") is None:
        raise ImproperlyConfigured("REDIS_URL is set but the redis client is missing: pip install 'dangshi[redis]'")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A database cache, not LocMem: rate-limit counters must be shared by every worker process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "dangshi_cache"}}

TASKS_BACKEND = env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    # The same task code on RQ: jobs in Redis, run by `dangshi rqworker --job-class django_tasks_rq.Job`.
    TASKS_REDIS_URL = env_str("TASKS_REDIS_URL") or REDIS_URL
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=django_tasks_rq.RQBackend needs TASKS_REDIS_URL or REDIS_URL")
    if find_spec("django_tasks_rq") is None:
        raise ImproperlyConfigured("TASKS_BACKEND names RQ but django-tasks-rq is missing: pip install 'dangshi[redis]'")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS["default"]["QUEUES"] = ["default"]
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": env_int("TASKS_TIMEOUT_SECONDS", 3600)}}

# /healthz reports "degraded" past these (core/health.py).
HEALTH_WORKER_MAX_AGE_SECONDS = env_int("HEALTH_WORKER_MAX_AGE_SECONDS", 180)
HEALTH_MAX_TASK_BACKLOG = env_int("HEALTH_MAX_TASK_BACKLOG", 1000)
HEALTH_REPLICA_MAX_LAG_SECONDS = env_int("HEALTH_REPLICA_MAX_LAG_SECONDS", 30)

# The live contest's WebSockets (dangshi.live): the ASGI app beside the WSGI one. Without
# REDIS_URL the in-memory layer: one ASGI process holds every socket of a show (make run
# starts one); with it, channels-redis, so several ASGI servers share one show.
ASGI_APPLICATION = "dangshi.asgi.application"
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL], "capacity": 1500}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1500}}}
# Where pages open the live WebSocket, e.g. "wss://dangshi.example.org" behind a proxy that
# routes /ws/ to the ASGI server. Empty: the page's own host, port + LIVE_WS_PORT_OFFSET
# (make run serves the ASGI app on PORT + 1).
LIVE_WS_URL = env_str("LIVE_WS_URL", "")
LIVE_WS_PORT_OFFSET = env_int("LIVE_WS_PORT_OFFSET", 1)


AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "dangshi.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env_int("LOGIN_LOCK_MINUTES", 15)
# Failures from all addresses within a day that suspend an account until an office lifts it.
LOGIN_ACCOUNT_CEILING = env_int("LOGIN_ACCOUNT_CEILING", 50)
# Login attempts per client address per 5 minutes: a branch meeting behind one NAT address
# logs in together (docs/security.md gives the measurement behind the figure).
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 500)

# Idle sessions end after 30 minutes: the cookie's age is renewed on every request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", False)
# Behind our own proxy: the client IP from X-Forwarded-For, the request id from X-Request-ID.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a reverse proxy (docs/deploy.md): the client address is read from X-Forwarded-For,
# counting TRUSTED_PROXY_COUNT entries from the right (each proxy appends the address it saw),
# so that a client cannot pick its own address by sending the header itself.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
if TRUSTED_PROXY_COUNT < 1:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be at least 1, not {TRUSTED_PROXY_COUNT}")
# HTTPS behind the proxy: all off by default (the embedded default is plain HTTP on 127.0.0.1).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", *env_list("CSP_IMG_EXTRA", [])],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploads in S3-compatible object storage where S3_BUCKET is set (core/storage.py).
S3_PUBLIC_PREFIXES = env_list("S3_PUBLIC_PREFIXES", ["redsites/photos/"])
S3_SIGNED_URL_SECONDS = env_int("S3_SIGNED_URL_SECONDS", 300)
if S3_BUCKET := env_str("S3_BUCKET"):
    STORAGES["default"] = {"BACKEND": "dangshi.core.storage.MediaStorage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
        "access_key": env_str("S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
        "region_name": env_str("S3_REGION", "us-east-1"),
        "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        "signature_version": "s3v4",
        "querystring_expire": S3_SIGNED_URL_SECONDS,
        "file_overwrite": False,
        "default_acl": None,
    }}

NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"jsonline": {"()": "dangshi.core.logformat.JsonLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"},
                 "requests": {"class": "logging.StreamHandler", "formatter": "jsonline"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # One JSON line per request, with its id (core/observe.py); REQUEST_LOG=0 silences them.
    "loggers": {"dangshi.request": {"handlers": ["requests"], "propagate": False,
                                    "level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"}},
}
# Prometheus metrics at /metrics, for these client addresses only (core/observe.py).
METRICS = env_bool("METRICS", False)
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
# prometheus-client's own variable: where granian's worker processes share their counters.
PROMETHEUS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "")

# Campaign defaults a deployment may tune.
ORG_PATH_STEP = 4  # characters per level of the materialised org path

# Modules' settings: read here only (apps read `settings.X`), each listed in docs/deploy.md.
HOTLINE_MAX_RETURNS = env_int("HOTLINE_MAX_RETURNS", 2)  # 退单 a request may take before it is escalated
SMS_BACKEND = env_str("SMS_BACKEND", "console")  # console (development: recorded, not sent)
PRACTICAL_SMS_SENDER = env_str("PRACTICAL_SMS_SENDER", "")  # dotted path to send(phone, text); "" logs it
OUTREACH_SIGNIN_MINUTES = env_int("OUTREACH_SIGNIN_MINUTES", 30)  # an activity's sign-in code stays valid
LEARNING_WATCH_RATIO = env_float("LEARNING_WATCH_RATIO", 0.8)  # share of a video or song that counts as read
LEARNING_READ_SECONDS_PER_100_CHARS = env_int("LEARNING_READ_SECONDS_PER_100_CHARS", 6)
LEARNING_READ_MIN_SECONDS = env_int("LEARNING_READ_MIN_SECONDS", 10)
LEARNING_READ_MAX_SECONDS = env_int("LEARNING_READ_MAX_SECONDS", 180)
LEARNING_AUDIO_MAX_BYTES = env_int("LEARNING_AUDIO_MAX_BYTES", 30 * 1024 * 1024)
LEARNING_IMAGE_MAX_BYTES = env_int("LEARNING_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
REDSITES_TILE_URL = env_str("REDSITES_TILE_URL", "")  # map tiles ({z}/{x}/{y}); "" draws a plain background
REDSITES_TILE_ATTRIBUTION = env_str("REDSITES_TILE_ATTRIBUTION", "")
REDSITES_TILE_DATUM = env_str("REDSITES_TILE_DATUM", "wgs84").lower()  # wgs84, or gcj02 for Chinese tiles
