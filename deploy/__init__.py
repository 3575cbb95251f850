"""Configuration and scripts that run Pathways in production: see docs/deploying.md."""
