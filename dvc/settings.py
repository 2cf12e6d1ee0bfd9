"""Settings, all from the environment (see README "Configuration"). Production-safe unless told otherwise."""
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-dev-key-only-for-debug" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (make run writes one to var/).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "dvc.csrf.csrf_failure"  # JSON for the phone's outbox (ops.offline), the HTML page otherwise
# Public URL of the site, used in QR codes, mails and private links (https://vc.example.jp).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no autodiscover: leaflet/admin.py needs GDAL
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "leaflet",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "ops.centres",
    "ops.needs",
    "ops.volunteers",
    "ops.dispatch",
    "ops.reports",
    "ops.messages",
    "ops.welfare",
    "ops.boards",
    "ops.staff",
    "ops.partners",
    "ops.prefecture",
    "ops.offline",
    "ops.drills",
    "ops.desk",
    "mapping",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ops.boards.fastpath.PublicFeedFastPath",  # the polled public JSON skips what it has no use for
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dvc.middleware.RefuseNulBytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ops.staff.firstrun.FirstRunMiddleware",  # an empty installation: every page leads to /setup/
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "ops.centres.auditing.AuditMiddleware",
    "dvc.unavailable.DatabaseUnavailable",  # last, so its process_exception sees a view's failure first
]

ROOT_URLCONF = "dvc.urls"
ASGI_APPLICATION = "dvc.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ops.centres.context.roles",
                "ops.centres.context.map_settings",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'dvc.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside a writer, IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.int("DB_POOL_SIZE", default=10) > 0:
    # A pool of open connections per process (psycopg_pool). Under ASGI every request runs in a thread of
    # its own, so without it each request opened a new PostgreSQL connection (a server process forked per
    # request); persistent connections (CONN_MAX_AGE > 0) instead leak one per finished thread. The pool
    # also caps how many requests of one process talk to the database at once: the rest wait for a free
    # connection instead of crowding the centre's row lock and the GIL (bench/checkin_burst.py).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django: a pooled connection goes back at the request's end
    # With a pool Django makes this the pool's check: a connection the server dropped (a restart) is
    # replaced before a request gets it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        # With the database away a request waits DB_POOL_TIMEOUT for a connection, then answers 503
        # (dvc/unavailable.py). psycopg_pool doubles its delay between reconnection attempts (1, 2, 4 ... s) until
        # reconnect_timeout (5 min by default), so after a 35 s outage its next try came half a minute late; with
        # a short reconnect_timeout a failing attempt gives up within seconds, and the next request that finds
        # no connection starts a fresh one, which connects as soon as the database is back.
        "pool": {"min_size": 2, "max_size": env.int("DB_POOL_SIZE", default=10),
                 "timeout": env.float("DB_POOL_TIMEOUT", default=3.0),
                 "reconnect_timeout": env.float("DB_RECONNECT_TIMEOUT", default=2.0)},
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (for PgBouncer, which this project does not use). Its own
    # cursors bind client-side and never prepare either way; the hot lookups prepare theirs (ops.sqlrows).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker and results ------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # socket_timeout: redis-py's default would drop a consumer idle for 5 s.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}], "capacity": 1500, "expiry": 30},
    }
}
# Live boards: the server sends a heartbeat (with the latest seq) every BOARD_HEARTBEAT_SECONDS; a board that
# hears nothing for BOARD_STALE_SECONDS reconnects and resyncs. Staff sockets re-check access on this timer too.
BOARD_HEARTBEAT_SECONDS = env.float("BOARD_HEARTBEAT_SECONDS", default=15.0)
BOARD_STALE_SECONDS = env.float("BOARD_STALE_SECONDS", default=40.0)
BOARD_ACCESS_RECHECK_SECONDS = env.float("BOARD_ACCESS_RECHECK_SECONDS", default=30.0)
# The public JSON (ops.boards.feed): browsers and shared caches (a council's CDN) may keep it this many seconds;
# during a burst of changes each web process rebuilds it at most once in PUBLIC_FEED_STALE_SECONDS.
PUBLIC_FEED_MAX_AGE = env.int("PUBLIC_FEED_MAX_AGE", default=10)
PUBLIC_FEED_STALE_SECONDS = env.float("PUBLIC_FEED_STALE_SECONDS", default=1.0)
# ... and reads the centre's state (its event number and public stamps) at most this often: polls in between
# reach no database. A change shows in the feed at most this much later (0: read it on every poll).
PUBLIC_FEED_STATE_SECONDS = env.float("PUBLIC_FEED_STATE_SECONDS", default=0.5)
# The default cache is each process's own memory. Request rates (api/throttling.py) count in Redis, shared by
# every web process; short timeouts, because a limit that cannot be read is skipped rather than waited for.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "rates": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "dvc-rates",
              "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_TASK_ACKS_LATE = True
# A task a worker took but never acknowledged (the whole worker killed, its machine gone) goes back to the queue
# after this many seconds (kombu's Redis default is an hour: the 日報 went out an hour late). It must stay above
# the longest run of any task, or a task still running is handed to a second worker too (the report and mail
# tasks are safe to run twice, and take seconds).
BROKER_VISIBILITY_TIMEOUT = env.int("BROKER_VISIBILITY_TIMEOUT", default=300)
# Each live worker sweeps for such tasks every unacked_restore_interval seconds (kombu's default sweep came to
# once in 100 s: an interval of 10 s, throttled to every tenth).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT,
                                   "unacked_restore_interval": max(1, min(30, BROKER_VISIBILITY_TIMEOUT // 5)),
                                   "unacked_restore_throttle": 1}
# A retry waits in its worker, unacknowledged, until its time: a wait longer than the visibility timeout would be
# handed to another worker meanwhile. The tasks' retry backoff stops below it (ops/reports, ops/messages tasks).
TASK_RETRY_BACKOFF_MAX = max(1, min(600, BROKER_VISIBILITY_TIMEOUT * 4 // 5))
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = 3600
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Drills (訓練, ops.drills): how often the beat lets running drills play their due entries, and extra directories
# of scenario files looked in before the shipped ones (ops/drills/scenarios/; a test's own tiny scenario).
DRILL_TICK_SECONDS = env.float("DRILL_TICK_SECONDS", default=5.0)
DRILL_SCENARIO_DIRS = env.list("DRILL_SCENARIO_DIRS", default=[])
CELERY_BEAT_SCHEDULE = {
    "daily-report-tick": {"task": "ops.reports.tasks.report_tick", "schedule": 300.0},
    "waiting-mail": {"task": "ops.messages.tasks.send_waiting_mail", "schedule": 300.0},
    # The evening-before reminders (ops.volunteers.services.reminders) and stalled recruitment calls.
    "volunteer-reminders": {"task": "ops.volunteers.tasks.reminder_tick", "schedule": 600.0},
    # The welfare assignees' morning mail of the cases due for a check (ops.welfare.services.due).
    "welfare-due-sweep": {"task": "ops.welfare.tasks.due_sweep", "schedule": 600.0},
    # Offerings past their deadline allocated; outcomes not mailed yet (ops.prefecture.tasks.prefecture_tick).
    "prefecture-tick": {"task": "ops.prefecture.tasks.prefecture_tick", "schedule": 60.0},
    "personal-data-retention": {"task": "ops.centres.tasks.erase_expired_personal_data",
                                "schedule": crontab(hour=3, minute=30)},
    # A running drill (訓練) plays what its scenario clock has reached (ops.drills.tasks.drill_tick).
    "drill-tick": {"task": "ops.drills.tasks.drill_tick", "schedule": DRILL_TICK_SECONDS},
}

# --- Auth ---------------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ... and per username from any addresses, at a higher count (ops/centres/lockout.py).
AXES_HANDLER = "ops.centres.lockout.LockoutHandler"
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The address as uvicorn set it (trusted proxy only), never a header the client wrote (dvc/client_address.py).
AXES_CLIENT_IP_CALLABLE = "dvc.client_address.client_address"

# --- Language and time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served publicly: photos and reports go through permission-checked views
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A form's fields or a JSON body, files apart: the largest (a need's texts) is a few kB. Django's default.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
# A body past this is refused with 413 before it is read (dvc.http.BodyLimit): above the largest upload a page
# takes (a 10 MB photo with its form, a 5 MB needs import).
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=12 * 1024 * 1024)

# --- Mail -----------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://127.0.0.1:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="災害VC <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)  # seconds per SMTP read or write; tests shorten it

# --- Map ------------------------------------------------------------------------------------------------
TILE_URL = env.str("TILE_URL", default="https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = env.str(
    "TILE_ATTRIBUTION", default='<a href="https://maps.gsi.go.jp/development/ichiran.html">国土地理院</a>'
)
# The base map without internet (mapping/tiles.py): an MBTiles file the app serves itself. Without this setting,
# the file `load_basemap` placed under var/basemap/; with neither, TILE_URL (empty: no base map).
TILE_MBTILES = env.str("TILE_MBTILES", default="")
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (env.float("MAP_CENTER_LAT", default=36.65), env.float("MAP_CENTER_LNG", default=138.18)),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("map", TILE_URL, {"attribution": TILE_ATTRIBUTION, "maxZoom": 18})],
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

# Address search (mapping.addresses): the GSI address search is the online fallback when the imported
# 位置参照情報 has no block-level match; empty disables it. Only the typed address is sent.
GEOCODER_ONLINE_URL = env.str("GEOCODER_ONLINE_URL", default="https://msearch.gsi.go.jp/address-search/AddressSearch?q=")
GEOCODER_ONLINE_TIMEOUT = env.float("GEOCODER_ONLINE_TIMEOUT", default=3.0)

# --- Security -------------------------------------------------------------------------------------------
# HTTPS is the production default; `make run` on a LAN sets HTTPS=false.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=True) else None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 14  # a long shift, not a week
X_FRAME_OPTIONS = "DENY"

# The tile server's origin only while maps may use it: a local base map is served from 'self'.
_local_basemap = TILE_MBTILES or (VAR_DIR / "basemap" / "basemap.mbtiles").exists()
_tile_origin = ("{0.scheme}://{0.netloc}".format(urlsplit(TILE_URL.replace("{s}", "a")))
                if "://" in TILE_URL and not _local_basemap else "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_tile_origin] if _tile_origin else []),
        "connect-src": ["'self'", "ws:", "wss:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    # Throttles count by REMOTE_ADDR (set by uvicorn from a trusted proxy only); DRF's default would read a
    # client's own X-Forwarded-For.
    "NUM_PROXIES": 0,
}
# How long an API token works after it is issued (api/models.py); revoke earlier at /c/<centre>/api-tokens/.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# The schema view adds its title and description (api/schema.py); the enum names are here because
# `check --deploy` generates the schema with these settings too.
SPECTACULAR_SETTINGS = {
    "TITLE": "DVC API", "VERSION": "1.0.0", "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "ops.needs.models.NeedStatus",
        "TeamStatusEnum": "ops.dispatch.models.Team.Status",
        "DispatchStatusEnum": "ops.dispatch.models.Dispatch.Status",
        "CentreStatusEnum": "ops.centres.models.Centre.Status",
    },
}

# --- Logging: no personal data. Request bodies and query strings are never logged. ----------------------
# Every handler redacts what it writes (dvc/logs.py): private links' tokens, query strings, emails, phones.
# LOGGING_CONFIG puts the same filter on the handlers LOGGING does not name (uvicorn's access and error log,
# Django's defaults); dvc/celery.py on Celery's.
LOGGING_CONFIG = "dvc.logs.configure"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"redact": {"()": "dvc.logs.Redact"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"},
        # WeasyPrint logs each rendering step and fontTools each font subset at INFO: a dozen lines per PDF
        # (the daily report, the demo's seed) in the worker's log and across `make run`'s banner.
        "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
        # redis-py gives this logger a handler of its own (to stdout, unredacted) unless it exists already.
        "push_response": {"handlers": ["console"], "propagate": False},
    },
}

# --- Domain settings ------------------------------------------------------------------------------------
# How long after a centre closes personal data is kept before `manage.py erase_personal_data` anonymises it.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=90)
# Requests sent through the public form from one address (ops/needs/views/public.py). Not too few: after a
# disaster whole shelters share one address (their Wi-Fi, or the carriers' free 00000JAPAN), and the honeypot
# and the form's timing stamp already drop the bots.
PUBLIC_FORM_RATE = env.str("PUBLIC_FORM_RATE", default="20/h")
# Tries at a volunteer's personal link (sign-in by phone and kana, a registration matching someone registered),
# per phone number and per client address (ops/volunteers/linkrate.py). The link itself only goes by mail.
VOLUNTEER_LINK_PHONE_RATE = env.str("VOLUNTEER_LINK_PHONE_RATE", default="5/h")
VOLUNTEER_LINK_ADDRESS_RATE = env.str("VOLUNTEER_LINK_ADDRESS_RATE", default="30/h")
# 郵便番号 lookups by callers who are not a centre's staff (the public request form): per client address.
POSTAL_LOOKUP_RATE = env.str("POSTAL_LOOKUP_RATE", default="120/h")
