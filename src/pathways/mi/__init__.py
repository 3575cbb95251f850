"""The motivational-interviewing analyzer: codes a session transcript and summarises it.

A plain-Python library: nothing here imports Django, so the CLI (`python -m pathways.mi`) and the training and
benchmark code (training/mi, outside the app) run without a configured project, and the web face
(`pathways.mi.web`) is a thin layer on top. Only what coding a transcript needs lives here; fitting the model
does not (it needs scikit-learn and PyTorch, which the app never installs).
"""
