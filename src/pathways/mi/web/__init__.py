"""The analyzer's web face: paste or upload a transcript, see it coded, keep it if you choose, and practise.

Everything Django lives here, so `pathways.mi` itself stays a plain-Python library.
"""
