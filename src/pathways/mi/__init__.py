"""The motivational-interviewing analyzer: codes a session transcript and summarises it.

A plain-Python library: nothing here imports Django, so the CLI (`python -m pathways.mi`) and the
benchmark run without a configured project, and the web face (`pathways.mi.web`) is a thin layer on top.
"""
