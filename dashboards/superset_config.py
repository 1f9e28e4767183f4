"""Superset's configuration for emstat, read through SUPERSET_CONFIG_PATH by the server `emstat dashboards up`
starts. Everything that differs between machines comes from the environment that command sets."""

import os

# Refuses to start without one; `emstat dashboards up` passes the key it generated once under EMSTAT_HOME.
SECRET_KEY = os.environ["EMSTAT_SUPERSET_SECRET_KEY"]
SQLALCHEMY_DATABASE_URI = f"sqlite:///{os.environ['EMSTAT_SUPERSET_HOME']}/superset.db"

# Leadership reads Chinese; English stays one click away for the people who maintain it.
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "Chinese"},
    "en": {"flag": "us", "name": "English"},
}

# Every chart query reads the published file afresh, so a new publication shows on the next load.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

# One host, served on localhost only: no example data, no thumbnails worker, no async queries.
SUPERSET_LOAD_EXAMPLES = False
FEATURE_FLAGS = {"DASHBOARD_RBAC": False, "ALERT_REPORTS": False, "THUMBNAILS": False}
TALISMAN_ENABLED = False
SUPERSET_WEBSERVER_TIMEOUT = 120
# The provisioning client and the browser test log in many times in a few seconds.
AUTH_RATE_LIMITED = False
RATELIMIT_ENABLED = False
