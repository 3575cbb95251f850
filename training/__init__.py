"""Code that builds and measures what the app ships. Nothing under src/ imports it.

Run its modules from the repository root in the training environment, for example
`.venv-train/bin/python -m training.mi.train` (that is what `make mi-model` does).
"""
