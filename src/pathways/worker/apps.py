from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "pathways.worker"
    verbose_name = "Background worker"
