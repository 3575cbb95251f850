"""Helpers every app may use. Nothing here imports an app of ours: this is the floor of the house."""
