#!/usr/bin/env python
"""Django's command-line entry point. `pathways` is installed in the venv (editable, by `make`), so it imports
without src/ on the path."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
