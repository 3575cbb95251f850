"""A bare Django site, the yardstick for the load benchmark (benchmarks/load.py).

The settings `django-admin startproject` writes (its middleware, sessions, CSRF, auth), the same PostgreSQL
database as Pathways, and one view that asks the database one question and renders a short template. Served by the
same gunicorn configuration behind the same proxy, what Pathways costs above it is what Pathways itself adds.
"""
import os

import dj_database_url
from django.db import connection
from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

from pathways.lib.env import env_str

SECRET_KEY = env_str("PATHWAYS_SECRET_KEY")  # the stack gives it as PATHWAYS_SECRET_KEY_FILE
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "django.contrib.messages"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Connections kept between requests, as Pathways keeps them in production on PostgreSQL (config/settings.py).
DATABASES = {"default": {**dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600),
                         "CONN_HEALTH_CHECKS": True}}
USE_TZ = True

PAGE = Engine().from_string(
    "<!doctype html><html lang='en'><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><ul>{% for n in numbers %}<li>{{ n }}</li>{% endfor %}</ul></body></html>")


def bare(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(PAGE.render(Context({"title": "Bare Django", "numbers": range(10)})))


def healthz(request):
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), path("healthz", healthz)]
